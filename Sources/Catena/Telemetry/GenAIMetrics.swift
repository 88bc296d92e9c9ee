import Metrics

/// The OpenTelemetry GenAI client metrics of model runs, through swift-metrics (whichever backend is in place):
/// `gen_ai.client.token.usage` (by `gen_ai.token.type`), `gen_ai.client.operation.duration`, and for streams
/// `gen_ai.client.operation.time_to_first_chunk` and `gen_ai.client.operation.time_per_output_chunk`, in seconds,
/// with the operation, provider, request and response model and error type as dimensions; plus Catena's counters:
/// `catena.client.cost` (what priced runs cost, in the price table's currency), `catena.cache.hits`,
/// `catena.cache.misses` and `catena.retries`.
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
            Recorder(label: "gen_ai.client.operation.time_to_first_chunk", dimensions: dimensions).record(
                firstChunk.seconds)
            if chunks > 1 {
                let perChunk = (duration - firstChunk).seconds / Double(chunks - 1)
                Recorder(label: "gen_ai.client.operation.time_per_output_chunk", dimensions: dimensions).record(
                    perChunk)
            }
        }
        if let cost = result?.cost, cost.isFinite, cost > 0 {
            FloatingPointCounter(label: "catena.client.cost", dimensions: dimensions).increment(by: cost)
        }
        guard let usage = result?.tokenUsage else { return }
        for (type, tokens) in [("input", usage.inputTokens), ("output", usage.outputTokens)] where tokens > 0 {
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", type)])
                .record(tokens)
        }
    }

    /// Counts a model run's cache lookup: `catena.cache.hits` or `catena.cache.misses`.
    func cacheLookup(_ run: RunInfo, hit: Bool) {
        Counter(label: hit ? "catena.cache.hits" : "catena.cache.misses", dimensions: Self.counted(run)).increment()
    }

    /// Counts a retry of a run.
    func retried(_ run: RunInfo) {
        Counter(label: "catena.retries", dimensions: Self.counted(run)).increment()
    }

    /// The dimensions of Catena's counters: the run's type, then those of its model, if any (never none: a
    /// Prometheus family cannot mix series with and without labels).
    private static func counted(_ run: RunInfo) -> [(String, String)] {
        [("catena.run.type", run.type.rawValue)] + dimensions(of: run)
    }

    /// The dimensions every metric of `run` has.
    private static func dimensions(of run: RunInfo, operation: String? = nil) -> [(String, String)] {
        var dimensions: [(String, String)] = []
        if let operation = operation ?? GenAIAttributes.operation(of: run.type) {
            dimensions.append(("gen_ai.operation.name", operation))
        }
        if let provider = GenAIAttributes.provider(run.parameters) {
            dimensions.append(("gen_ai.provider.name", provider))
        }
        if let model = GenAIAttributes.requestModel(run.parameters) {
            dimensions.append(("gen_ai.request.model", model))
        }
        return dimensions
    }
}

/// The explicit bucket boundaries the GenAI conventions advise for each histogram, by label: for the metrics
/// backends that take them (swift-otel's OTLP exporter, a Prometheus registry).
package enum GenAIMetricBuckets {
    /// Durations in seconds: 10 ms to 82 s, doubling.
    private static let seconds = [
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]

    /// A served request's duration in seconds: 1 ms to 82 s (a gateway adds well under a millisecond).
    package static let requestDurations: [Duration] =
        [0.001, 0.0025, 0.005].map { Duration.seconds($0) } + seconds.map { Duration.seconds($0) }

    /// The boundaries by histogram label.
    package static let byLabel: [String: [Double]] = [
        "gen_ai.client.token.usage": [
            1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
        ],
        "gen_ai.client.operation.duration": seconds,
        "gen_ai.client.operation.time_to_first_chunk": seconds,
        "gen_ai.client.operation.time_per_output_chunk": [
            0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5,
        ],
    ]
}
