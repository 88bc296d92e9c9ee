public import Catena

extension ChatResult {
    /// The candidates of a chat completion, with usage, finish reason, logprobs, fingerprint and id in each
    /// message's response metadata, and token usage and model name as provider-level output.
    public init(_ completion: ChatCompletion) {
        let metadata = WireResponseFields(
            id: completion.id, model: completion.model, fingerprint: completion.systemFingerprint)
        let generations = completion.choices.enumerated().map { position, choice in
            let message = Message(
                role: .assistant, content: .text(choice.message?.content ?? ""), id: completion.id,
                toolCalls: (choice.message?.toolCalls ?? []).map { call in
                    var toolCall = call.toolCall
                    toolCall.index = nil
                    return toolCall
                },
                usage: position == 0 ? completion.usage?.usage : nil,
                responseMetadata: metadata.fields(finishReason: choice.finishReason, logprobs: choice.logprobs))
            return Generation(
                message: message,
                info: metadata.generationInfo(finishReason: choice.finishReason, logprobs: choice.logprobs))
        }
        self.init(generations: generations, llmOutput: metadata.llmOutput(usage: completion.usage))
    }
}

extension Message {
    /// The assistant message chunk of a streamed chat completion chunk (its first candidate), or `nil` when the
    /// chunk carries nothing (a role-only first delta).
    init?(chunk: ChatCompletionChunk) {
        let choice = chunk.choices.first
        let metadata = WireResponseFields(id: chunk.id, model: chunk.model, fingerprint: chunk.systemFingerprint)
        let fields =
            choice?.finishReason != nil || choice?.logprobs != nil || chunk.usage != nil
            ? metadata.fields(finishReason: choice?.finishReason, logprobs: choice?.logprobs) : [:]
        let text = choice?.delta?.content ?? ""
        let calls = (choice?.delta?.toolCalls ?? []).map(\.toolCall)
        guard !text.isEmpty || !calls.isEmpty || chunk.usage != nil || !fields.isEmpty else { return nil }
        self.init(
            role: .assistant, content: .text(text), id: chunk.id, toolCalls: calls, usage: chunk.usage?.usage,
            responseMetadata: fields)
    }
}

/// The response-level details every candidate's metadata repeats.
struct WireResponseFields {
    let id: String?
    let model: String?
    let fingerprint: String?

    /// Response metadata as LangChain's OpenAI models report it.
    func fields(finishReason: String?, logprobs: JSONValue?) -> [String: JSONValue] {
        var fields = [String: JSONValue](minimumCapacity: 5)  // sized once: no rehash as members are added
        if let id { fields["id"] = .string(id) }
        if let model { fields["model_name"] = .string(model) }
        if let fingerprint { fields["system_fingerprint"] = .string(fingerprint) }
        if let finishReason { fields["finish_reason"] = .string(finishReason) }
        if let logprobs, logprobs != .null { fields["logprobs"] = logprobs }
        return fields
    }

    /// A generation's info: finish reason and logprobs.
    func generationInfo(finishReason: String?, logprobs: JSONValue?) -> [String: JSONValue] {
        var info = [String: JSONValue](minimumCapacity: 2)
        if let finishReason { info["finish_reason"] = .string(finishReason) }
        if let logprobs, logprobs != .null { info["logprobs"] = logprobs }
        return info
    }

    /// The provider-level output: token usage, model name, fingerprint.
    func llmOutput(usage: WireUsage?) -> [String: JSONValue] {
        var output = [String: JSONValue](minimumCapacity: 3)
        if let usage {
            output["token_usage"] = [
                "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
                "total_tokens": .int(usage.usage.totalTokens),
            ]
        }
        if let model { output["model_name"] = .string(model) }
        if let fingerprint { output["system_fingerprint"] = .string(fingerprint) }
        return output
    }
}
