/// A text prompt with `{variable}` slots; `{{` and `}}` are literal braces.
///
/// ```swift
/// let prompt = PromptTemplate("Tell me a joke about {topic}.")
/// let value = try await prompt.invoke(["topic": "bears"])   // .text("Tell me a joke about bears.")
/// ```
public struct PromptTemplate: Runnable {
    /// The name of its runs.
    public var name: String { "PromptTemplate" }

    /// The template text.
    public let template: String
    private let segments: Result<[TemplateSegment], CatenaError>

    /// Creates a template; a malformed template fails when formatted, with the position of the problem.
    public init(_ template: String) {
        self.template = template
        segments = Result { () throws(CatenaError) in try TemplateParser.parse(template) }
    }

    /// The variables the template needs, in order of first use.
    public var inputVariables: [String] { (try? segments.get()).map(TemplateParser.variables) ?? [] }

    /// The template with `values` substituted.
    /// - Throws: ``CatenaError`` naming a missing variable, or describing a malformed template.
    public func format(_ values: [String: PromptValue]) throws -> String {
        try TemplateParser.format(segments.get(), with: values)
    }

    /// Formats the template as a traced prompt run.
    public func invoke(_ input: [String: PromptValue], context: RunContext) async throws -> PromptValue {
        try await context.traceChain(name: name, type: .prompt, input: input) { _, _ in .text(try format(input)) }
    }
}
