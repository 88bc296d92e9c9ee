/// A structured answer with what it came from: the raw message, the parsed value, or why parsing failed.
public struct StructuredOutput<Value: Sendable>: Sendable {
    /// The model's message.
    public var raw: Message
    /// The decoded value, when the message decoded.
    public var parsed: Value?
    /// Why the message did not decode (an `OutputParserError` carrying the raw text).
    public var parsingError: (any Error)?
}

/// How ``StructuredOutputChatModel/withStructuredOutput(_:method:)`` asks for JSON.
public enum StructuredOutputMethod: Sendable, Hashable {
    /// `response_format: json_object`: any JSON object (describe the fields in the prompt).
    case jsonMode
    /// `response_format: json_schema` with `schema`, which the server enforces.
    case jsonSchema(name: String, schema: JSONValue)
}

extension StructuredOutputChatModel {
    /// The model asked for JSON and its answer decoded into `Value`; a decoding failure throws an
    /// `OutputParserError` carrying the raw text.
    ///
    /// ```swift
    /// struct City: Decodable, Sendable { var name: String; var country: String }
    /// let city = try await model.withStructuredOutput(City.self, method: .jsonSchema(name: "city", schema: schema))
    ///     .invoke("The capital of France, as JSON")
    /// ```
    public func withStructuredOutput<Value: Decodable & Sendable>(
        _ type: Value.Type, method: StructuredOutputMethod = .jsonMode
    ) -> some Runnable<PromptValue, Value> {
        answering(method) | DecodableOutputParser<Message, Value>()
    }

    /// Like ``withStructuredOutput(_:method:)``, but never fails on a bad answer: returns the raw message with the
    /// parsed value or the parsing error.
    public func withStructuredOutputIncludingRaw<Value: Decodable & Sendable>(
        _ type: Value.Type, method: StructuredOutputMethod = .jsonMode
    ) -> some Runnable<PromptValue, StructuredOutput<Value>> {
        let parser = DecodableOutputParser<Message, Value>()
        return answering(method)
            | RunnableLambda(name: "StructuredOutput") { (message: Message) in
                do {
                    return StructuredOutput(raw: message, parsed: try parser.parse(message.text), parsingError: nil)
                } catch {
                    return StructuredOutput(raw: message, parsed: nil, parsingError: error)
                }
            }
    }

    /// This model with the response format of `method`.
    private func answering(_ method: StructuredOutputMethod) -> Self {
        switch method {
        case .jsonMode: withResponseFormat(.jsonObject)
        case .jsonSchema(let name, let schema): withResponseFormat(.jsonSchema(name: name, schema: schema))
        }
    }
}
