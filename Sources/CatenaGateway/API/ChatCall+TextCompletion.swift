import Catena
import CatenaCompletion
import CatenaOpenAI

extension ChatCall {
    /// Reads an OpenAI (legacy) completions request body: its `prompt` becomes one user message, answered by the
    /// deployment's chat API (as LiteLLM's `text_completion` does for chat models), so the model's chat template
    /// applies. One prompt per request: a list of prompts or of token ids is refused.
    /// - Throws: ``GatewayError`` (400) naming the field at fault.
    init(textCompletionBody body: [UInt8]) throws(GatewayError) {
        let fields = try RequestFields(body: body)
        try fields.refuseUnknown(Self.knownForTextCompletion)
        model = try fields.required("model", \.stringValue, "a string")
        let prompt = try fields.required("prompt", Self.singlePrompt, "a string (or a list of one string)")
        messages = [.user(prompt)]
        stream = try fields.optional("stream", \.boolValue, "true or false") ?? false
        streamsUsage = try fields.includesUsage()
        if try fields.optional("echo", \.boolValue, "true or false") == true {
            throw .invalidRequest("'echo' is not supported: the prompt is answered through the chat API", param: "echo")
        }
        options = CompletionOptions(parameters: try fields.samplingParameters())
    }

    /// The prompt of `value`: a string, or a list holding one.
    private static func singlePrompt(_ value: JSONValue) -> String? {
        if let text = value.stringValue { return text }
        guard let list = value.arrayValue, list.count == 1 else { return nil }
        return list[0].stringValue
    }

    /// Every field a completions request may have.
    static let knownForTextCompletion: Set<String> = Set(RequestFields.samplingFields.map(\.name)).union([
        "model", "prompt", "stream", "stream_options", "user", "echo",
    ])
}

extension CompletionResponse {
    /// The answer (or a chunk of it) in the completions shape: `text_completion`, each choice's text in `text`.
    var asTextCompletion: CompletionResponse {
        var copy = self
        copy.object = "text_completion"
        copy.choices = choices.map { choice in
            var choice = choice
            choice.text = (choice.message ?? choice.delta)?.content ?? ""
            (choice.message, choice.delta) = (nil, nil)
            return choice
        }
        return copy
    }
}
