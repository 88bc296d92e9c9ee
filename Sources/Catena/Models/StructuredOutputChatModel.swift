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
    /// The answer's errors are ``OutputParserError``s naming what does not fit.
    public func withStructuredOutput<T: Decodable & JSONSchemaRepresentable & Sendable>(
        _ type: T.Type, name: String = String(describing: T.self)
    ) -> RunnableSequence<PromptValue, T> {
        withResponseFormat(.jsonSchema(name: name, schema: T.jsonSchema, strict: false))
            | DecodableOutputParser<Message, T>(checking: T.jsonSchema)
    }
}
