/// Decodes a model's JSON output into a `Decodable` type, checked first against a JSON schema when given one (a
/// derived `@JSONSchema` type's: what the schema forbids is refused even when it would decode).
///
/// ```swift
/// struct Joke: Decodable, Sendable { var setup: String; var punchline: String }
/// let joke = try await (prompt | model | DecodableOutputParser<Message, Joke>()).invoke(["topic": "cats"])
/// ```
public struct DecodableOutputParser<Input: ModelOutputText, Value: Decodable & Sendable>: Runnable {
    /// The name of its runs.
    public var name: String { "DecodableOutputParser" }

    /// The schema the JSON is checked against before it is decoded, if any.
    public let schema: JSONValue?

    /// Creates the parser, checking the JSON against `schema` (if given) before decoding it.
    public init(checking schema: JSONValue? = nil) {
        self.schema = schema
    }

    /// Decodes `text`.
    /// - Throws: ``OutputParserError`` with the raw output when it is not JSON, does not fit the schema (naming the
    ///   field), or is not of the expected shape.
    public func parse(_ text: String) throws -> Value {
        let json = try JSONOutputParser<String>().parse(text)
        do {
            try schema.map { try json.check(against: $0) }
            return try json.decode(as: Value.self)
        } catch {
            throw OutputParserError(rawOutput: text, reason: "the answer does not fit \(Value.self): \(error)")
        }
    }

    /// The decoded output, as a traced parser run.
    public func invoke(_ input: Input, context: RunContext) async throws -> Value {
        try await context.traceChain(name: name, type: .parser, input: input) { _, _ in try parse(input.outputText) }
    }
}
