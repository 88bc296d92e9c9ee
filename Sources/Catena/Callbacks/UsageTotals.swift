import Synchronization

/// A handler that totals token usage per model over every model run it sees, streamed or not, as LangChain's
/// `UsageMetadataCallbackHandler` does. Safe to share between concurrent calls.
///
/// Each run's usage counts once, from its end (or, for a run that failed, from what it generated before the
/// error). The model is the name the response gives (`model_name`), else the run's name.
///
/// ```swift
/// let usage = UsageTotals()
/// _ = try await chain.invoke(input, config: .init(callbacks: [usage]))
/// print(usage.total.outputTokens, usage.byModel["SmolLM2-135M-Instruct"]?.inputTokens ?? 0)
/// ```
public final class UsageTotals: CallbackHandler {
    private let totals = Mutex<[String: Usage]>([:])

    /// Creates a handler with nothing counted yet.
    public init() {}

    /// The usage so far by model name.
    public var byModel: [String: Usage] { totals.withLock { $0 } }

    /// The usage so far over every model.
    public var total: Usage {
        byModel.values.reduce(Usage(inputTokens: 0, outputTokens: 0), +)
    }

    /// Forgets what was counted.
    public func reset() { totals.withLock { $0.removeAll() } }

    /// Adds the usage a model run reported at its end or error.
    public func handle(_ event: CallbackEvent) {
        let result: LLMResult
        switch event.payload {
        case .llmEnd(let ended): result = ended
        case .llmError(_, let partial): result = partial
        default: return
        }
        guard let usage = result.tokenUsage else { return }
        let model = result.modelName ?? event.run.name
        totals.withLock { $0[model] = $0[model].map { $0 + usage } ?? usage }
    }
}

extension LLMResult {
    /// The run's token usage, typed: the messages' usage summed, else what the provider-level output reports
    /// (`token_usage`, as text models and embedding runs give it).
    public var tokenUsage: Usage? {
        usage ?? reportedUsage
    }

    /// The usage of the provider-level output.
    private var reportedUsage: Usage? {
        guard let usage = llmOutput?["token_usage"], let input = usage["prompt_tokens"]?.intValue,
            let output = usage["completion_tokens"]?.intValue
        else { return nil }
        return Usage(inputTokens: input, outputTokens: output, totalTokens: usage["total_tokens"]?.intValue)
    }
}
