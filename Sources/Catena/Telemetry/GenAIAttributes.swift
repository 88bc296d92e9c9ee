import Tracing

/// The OpenTelemetry GenAI semantic conventions as Catena reports them: span names, operation names and the
/// attributes a model run's start, end and error carry.
enum GenAIAttributes {
    /// `gen_ai.operation.name` of a model run (`nil` for other runs).
    static func operation(of type: RunType) -> String? {
        switch type {
        case .chatModel: "chat"
        case .llm: "text_completion"
        case .embedding: "embeddings"
        default: nil
        }
    }

    /// The span's name and kind: `{operation} {model}` (client) for model runs, `execute_tool {name}` for tools,
    /// `invoke_agent {name}` for an agent's run, the run's name (internal) for the rest.
    static func span(of run: RunInfo) -> (name: String, kind: SpanKind) {
        if let operation = operation(of: run.type) {
            let model = requestModel(run.parameters)
            return (model.map { "\(operation) \($0)" } ?? operation, .client)
        }
        if run.type == .tool { return ("execute_tool \(run.name)", .internal) }
        if isAgent(run) { return ("invoke_agent \(run.name)", .internal) }
        return (run.name, .internal)
    }

    /// The metadata an ``Agent``'s own run carries (not inherited), marking it as the agent's.
    static let agentMetadata: [String: JSONValue] = ["gen_ai.operation.name": "invoke_agent"]

    /// Whether `run` is an ``Agent``'s run.
    static func isAgent(_ run: RunInfo) -> Bool {
        run.type == .chain && run.metadata["gen_ai.operation.name"] == "invoke_agent"
    }

    /// The model a run's invocation parameters name.
    static func requestModel(_ parameters: InvocationParameters?) -> String? {
        (parameters?["model"] ?? parameters?["model_name"])?.stringValue
    }

    /// The provider's name as the conventions spell it (`hosted_vllm` is `vllm`).
    static func provider(_ parameters: InvocationParameters?) -> String? {
        guard let type = parameters?["_type"]?.stringValue else { return nil }
        return type == "hosted_vllm" ? "vllm" : type
    }

    /// What a run's span carries from its start.
    static func start(of run: RunInfo) -> SpanAttributes {
        var attributes = SpanAttributes()
        if run.type == .tool {
            attributes["gen_ai.operation.name"] = "execute_tool"
            attributes["gen_ai.tool.name"] = run.name
            return attributes
        }
        if isAgent(run) {
            attributes["gen_ai.operation.name"] = "invoke_agent"
            attributes["gen_ai.agent.name"] = run.name
            return attributes
        }
        guard let operation = operation(of: run.type) else { return attributes }
        let parameters = run.parameters
        attributes["gen_ai.operation.name"] = operation
        if let provider = provider(parameters) { attributes["gen_ai.provider.name"] = provider }
        if let model = requestModel(parameters) { attributes["gen_ai.request.model"] = model }
        for (key, name) in requestParameters {
            guard let value = parameters?[key] else { continue }
            attributes.set("gen_ai.request.\(name)", value: attribute(value))
        }
        return attributes
    }

    /// The request parameters the conventions name, by the key models report them under.
    private static let requestParameters = [
        ("temperature", "temperature"), ("top_p", "top_p"), ("top_k", "top_k"), ("max_tokens", "max_tokens"),
        ("seed", "seed"), ("stop", "stop_sequences"), ("frequency_penalty", "frequency_penalty"),
        ("presence_penalty", "presence_penalty"),
    ]

    /// A parameter's value as an attribute (`nil` for null and values the conventions have no type for).
    private static func attribute(_ value: JSONValue) -> SpanAttribute? {
        switch value {
        case .int(let number): .int64(Int64(number))
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items):
            items.isEmpty ? nil : .stringArray(items.map { $0.stringValue ?? $0.jsonString })
        default: nil
        }
    }

    /// What a model run's span carries from its end: the response's id, model and finish reasons, and usage.
    static func end(of result: LLMResult) -> SpanAttributes {
        var attributes = SpanAttributes()
        let messages = result.generations.joined().compactMap(\.message)
        if let id = messages.first.flatMap({ $0.response.id ?? $0.id }) { attributes["gen_ai.response.id"] = id }
        if let model = result.modelName { attributes["gen_ai.response.model"] = model }
        let reasons = messages.compactMap(\.response.finishReason)
        if !reasons.isEmpty { attributes["gen_ai.response.finish_reasons"] = reasons }
        if let usage = result.tokenUsage {
            attributes["gen_ai.usage.input_tokens"] = Int64(usage.inputTokens)
            attributes["gen_ai.usage.output_tokens"] = Int64(usage.outputTokens)
            if usage.cachedInputTokens > 0 {
                attributes["gen_ai.usage.cache_read.input_tokens"] = Int64(usage.cachedInputTokens)
            }
            if usage.reasoningTokens > 0 {
                attributes["gen_ai.usage.reasoning.output_tokens"] = Int64(usage.reasoningTokens)
            }
        }
        return attributes
    }
}
