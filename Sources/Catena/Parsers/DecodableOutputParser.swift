/// Decodes a model's JSON output into a `Decodable` type.
///
/// ```swift
/// struct Joke: Decodable, Sendable { var setup: String; var punchline: String }
/// let joke = try await (prompt | model | DecodableOutputParser<Message, Joke>()).invoke(["topic": "cats"])
/// ```
public struct DecodableOutputParser<Input: ModelOutputText, Value: Decodable & Sendable>: Runnable {
    /// The name of its runs.
    public var name: String { "DecodableOutputParser" }

    /// Creates the parser.
    public init() {}

    /// Decodes `text`.
    /// - Throws: ``OutputParserError`` with the raw output when it is not JSON of the expected shape.
    public func parse(_ text: String) throws -> Value {
        let json = try JSONOutputParser<String>().parse(text)
        do {
            return try json.decode(as: Value.self)
        } catch {
            throw OutputParserError(rawOutput: text, reason: "JSON does not match \(Value.self) (\(error))")
        }
    }

    /// The decoded output, as a traced parser run.
    public func invoke(_ input: Input, context: RunContext) async throws -> Value {
        try await context.traceChain(name: name, type: .parser, input: input) { _, _ in try parse(input.outputText) }
    }
}
