import Metrics

/// The OpenTelemetry GenAI client metrics of model runs, through swift-metrics (whichever backend is in place):
/// `gen_ai.client.token.usage` (by `gen_ai.token.type`), `gen_ai.client.operation.duration`, and for streams
/// `gen_ai.client.operation.time_to_first_chunk` and `gen_ai.client.operation.time_per_output_chunk`, in seconds,
/// with the operation, provider, request and response model and error type as dimensions; plus Catena's counters
/// of cache hits and retries.
///
/// The metrics are made when they are recorded, from the factory in place then (a backend deduplicates them by
/// label and dimensions).
struct GenAIMetrics: Sendable {
    /// Records a model run's end or error.
    func ended(
        _ run: RunInfo, duration: Duration, firstChunk: Duration?, chunks: Int, result: LLMResult?, error: (any Error)?
    ) {
        guard let operation = GenAIAttributes.operation(of: run.type) else { return }
        var dimensions = Self.dimensions(of: run, operation: operation)
        if let model = result?.modelName { dimensions.append(("gen_ai.response.model", model)) }
        if let error { dimensions.append(("error.type", errorTypeName(error))) }
        Recorder(label: "gen_ai.client.operation.duration", dimensions: dimensions).record(duration.seconds)
        if let firstChunk {
            Recorder(label: "gen_ai.client.operation.time_to_first_chunk", dimensions: dimensions).record(firstChunk.seconds)
            if chunks > 1 {
                let perChunk = (duration - firstChunk).seconds / Double(chunks - 1)
                Recorder(label: "gen_ai.client.operation.time_per_output_chunk", dimensions: dimensions).record(perChunk)
            }
        }
        guard let usage = result?.tokenUsage else { return }
        for (type, tokens) in [("input", usage.inputTokens), ("output", usage.outputTokens)] where tokens > 0 {
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", type)])
                .record(tokens)
        }
    }

    /// Counts a model run answered from its cache.
    func cacheHit(_ run: RunInfo) {
        Counter(label: "catena.cache.hits", dimensions: Self.dimensions(of: run)).increment()
    }

    /// Counts a retry of a run.
    func retried(_ run: RunInfo) {
        Counter(label: "catena.retries", dimensions: Self.dimensions(of: run)).increment()
    }

    /// The dimensions every metric of `run` has.
    private static func dimensions(of run: RunInfo, operation: String? = nil) -> [(String, String)] {
        var dimensions: [(String, String)] = []
        if let operation = operation ?? GenAIAttributes.operation(of: run.type) {
            dimensions.append(("gen_ai.operation.name", operation))
        }
        if let provider = GenAIAttributes.provider(run.parameters) { dimensions.append(("gen_ai.provider.name", provider)) }
        if let model = GenAIAttributes.requestModel(run.parameters) { dimensions.append(("gen_ai.request.model", model)) }
        return dimensions
    }
}
