/// A chat model whose answers can be held to a JSON schema (OpenAI's `response_format`, llama.cpp's grammar).
///
/// `ProviderChatModel`, `ChatVLLM` and the completion layer's `CompletionChatModel` conform.
public protocol StructuredOutputChatModel: Runnable where Input == PromptValue, Output == Message {
    /// This model, answering in `format` (or freely, for `nil`).
    func withResponseFormat(_ format: ResponseFormat?) -> Self
}

extension StructuredOutputChatModel {
    /// This model answering with a `T` whose schema is derived (`@JSONSchema`): the request asks for `T`'s JSON
    /// schema, and the answer is checked against it and decoded (LangChain's `with_structured_output`). For other
    /// `Decodable` types, ``withStructuredOutput(_:method:)`` asks for JSON and decodes it.
    ///
    /// ```swift
    /// @JSONSchema struct Weather: Decodable { var city: String; var celsius: Double }
    /// let weather: Weather = try await chat.withStructuredOutput(Weather.self).invoke("Weather in Paris?")
    /// ```
    /// The answer's errors are ``CatenaError``s (`outputParsing`) naming what does not fit.
    public func withStructuredOutput<T: Decodable & JSONSchemaRepresentable & Sendable>(
        _ type: T.Type, name: String = String(describing: T.self)
    ) -> RunnableSequence<PromptValue, T> {
        withResponseFormat(.jsonSchema(name: name, schema: T.jsonSchema, strict: false))
            | RunnableLambda(name: "StructuredOutputParser") { (answer: Message) in
                try StructuredAnswer.decode(T.self, from: answer.text)
            }
    }
}

/// Reads a model's JSON answer as a typed value.
enum StructuredAnswer {
    /// `text` parsed, checked against `T`'s schema and decoded.
    /// - Throws: ``CatenaError`` (`outputParsing`) naming the problem and quoting the answer.
    static func decode<T: Decodable & JSONSchemaRepresentable>(_ type: T.Type, from text: String) throws -> T {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw CatenaError(.outputParsing, "the answer is not JSON (\(error)): \(text.prefix(200))")
        }
        do {
            try value.check(against: T.jsonSchema)
            return try value.decode(as: T.self)
        } catch {
            throw CatenaError(.outputParsing, "the answer does not fit \(T.self): \(error): \(text.prefix(200))")
        }
    }
}
