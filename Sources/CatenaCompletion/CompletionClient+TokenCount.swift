public import Catena
public import CatenaOpenAI

extension CompletionClient {
    /// The tokens `messages` take for `model` (`provider/name`), flattened as `"System: …\nHuman: …"`: counted by the
    /// deployment server's tokenizer when it has one (vLLM's or llama.cpp's `/tokenize`), else estimated
    /// (`TokenCount.isEstimate`). The chat template's special tokens are not counted.
    /// - Throws: ``CompletionError`` for a model no provider serves; the server's error when it fails to tokenize.
    public func tokenCount(
        model: String, messages: [Message], options: CompletionOptions = CompletionOptions()
    ) async throws -> TokenCount {
        let (provider, reference, _) = try providers.provider(for: ModelReference(parsing: model), prices: prices)
        let deployment = try provider.deployment(for: reference.name, options: options)
        return try await deployment.client.tokenize(PromptValue.messages(messages).string, model: deployment.model)
    }
}
