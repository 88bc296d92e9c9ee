/// One entry of a ``ChatPromptTemplate``: a message template or a placeholder for a list of messages.
public enum ChatTemplatePart: Sendable, Hashable {
    /// A message whose text is a template.
    case message(Message.Role, String)
    /// Messages inserted from the variable `name`; an optional placeholder may be missing.
    case placeholder(String, optional: Bool)

    /// A system message template.
    public static func system(_ template: String) -> ChatTemplatePart { .message(.system, template) }
    /// A user message template.
    public static func user(_ template: String) -> ChatTemplatePart { .message(.user, template) }
    /// An assistant message template.
    public static func assistant(_ template: String) -> ChatTemplatePart { .message(.assistant, template) }
    /// A required placeholder for the messages under `name`.
    public static func placeholder(_ name: String) -> ChatTemplatePart { .placeholder(name, optional: false) }
}

/// A chat prompt: message templates and placeholders, formatted into a list of messages.
///
/// ```swift
/// let prompt = ChatPromptTemplate([.system("you are a bot"), .placeholder("history"), .user("{input}")])
/// let value = try await prompt.invoke(["input": "hello there!", "history": [.user("hi"), .assistant("hello")]])
/// value.string   // "System: you are a bot\nHuman: hi\nAI: hello\nHuman: hello there!"
/// ```
public struct ChatPromptTemplate: Runnable {
    /// The name of its runs.
    public var name: String { "ChatPromptTemplate" }

    /// The entries, in order.
    public let parts: [ChatTemplatePart]
    private let parsed: [Result<[TemplateSegment], CatenaError>]

    /// Creates a chat prompt from its entries.
    public init(_ parts: [ChatTemplatePart]) {
        self.parts = parts
        parsed = parts.map { part in
            guard case .message(_, let template) = part else { return .success([]) }
            return Result { () throws(CatenaError) in try TemplateParser.parse(template) }
        }
    }

    /// The variables the prompt needs (template variables and required placeholders), in order of first use.
    public var inputVariables: [String] {
        var names: [String] = []
        for (part, segments) in zip(parts, parsed) {
            let needed: [String]
            switch part {
            case .message: needed = (try? segments.get()).map(TemplateParser.variables) ?? []
            case .placeholder(let name, let optional): needed = optional ? [] : [name]
            }
            names += needed.filter { !names.contains($0) }
        }
        return names
    }

    /// The messages with `values` substituted.
    /// - Throws: ``CatenaError`` naming a missing variable or placeholder, or describing a malformed template.
    public func formatMessages(_ values: [String: PromptValue]) throws -> [Message] {
        var messages: [Message] = []
        for (part, segments) in zip(parts, parsed) {
            switch part {
            case .message(let role, _):
                messages.append(
                    Message(role: role, content: .text(try TemplateParser.format(segments.get(), with: values))))
            case .placeholder(let name, let optional):
                switch values[name] {
                case .messages(let inserted): messages += inserted
                case .text(let text): messages.append(.user(text))
                case nil where optional: break
                case nil:
                    throw CatenaError(
                        .missingVariable,
                        "missing messages for placeholder '\(name)'; got variables \(values.keys.sorted())")
                }
            }
        }
        return messages
    }

    /// Formats the prompt as a traced prompt run.
    public func invoke(_ input: [String: PromptValue], context: RunContext) async throws -> PromptValue {
        try await context.traceChain(name: name, type: .prompt, input: input) { _, _ in
            .messages(try formatMessages(input))
        }
    }
}
