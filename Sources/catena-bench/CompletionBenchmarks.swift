import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaSoak
import Foundation
import Synchronization

/// `completion` with mock responses (no network, as LiteLLM's `mock_response`), matching
/// ../shared/peers/litellm_bench.py: per-call overhead with no logger, a success callback and a logger, per-chunk
/// streaming, and whether every event arrived.
nonisolated func runCompletionBenchmarks() async throws -> [Row] {
    var rows: [Row] = []
    let calls = 20_000
    let messages: [Message] = [.user("hi")]
    let mock = CompletionOptions(mockResponse: "hello")

    let bare = CompletionClient()
    rows.append(
        try await measure("completion(mock), no logger", operations: calls) {
            for _ in 0..<calls {
                _ = try await bare.completion(model: "gpt-3.5-turbo", messages: messages, options: mock)
            }
        })
    try await bare.shutdown()

    let successes = Counter()
    let callbacks = CompletionClient(loggers: [CompletionCallbacks(success: { _ in successes.add() })])
    rows.append(
        try await measure("completion(mock) + success callback, incl. delivery", operations: calls) {
            for _ in 0..<calls {
                _ = try await callbacks.completion(model: "gpt-3.5-turbo", messages: messages, options: mock)
            }
            await callbacks.flush()
        })
    try await callbacks.shutdown()

    let logger = CountingLogger()
    let logged = CompletionClient(loggers: [logger])
    rows.append(
        try await measure("completion(mock) + 1 CompletionLogger, incl. delivery", operations: calls) {
            for _ in 0..<calls {
                _ = try await logged.completion(model: "gpt-3.5-turbo", messages: messages, options: mock)
            }
            await logged.flush()
        })
    let statistics = logged.logStatistics
    let runs = 8 * calls
    let delivered = Double(statistics.delivered)
    rows.append(
        Row(
            operation: "  logger events delivered", median: delivered, min: delivered, max: delivered, unit: "events",
            note: "expected \(3 * runs) (pre, post, success per call); hooks counted \(logger.total)"))

    // 1,000 content chunks of 3 characters, as the peer's mock stream.
    let text = (0..<1000).map { String(format: "%03d", $0) }.joined()
    let streamed = CompletionOptions(mockResponse: .answer(text))
    var chunks = 0
    for try await _ in logged.streamingCompletion(model: "gpt-3.5-turbo", messages: messages, options: streamed) {
        chunks += 1
    }
    rows.append(
        try await measure("completion(stream, mock) \(chunks) chunks + 1 logger, per chunk", operations: chunks * 10) {
            for _ in 0..<10 {
                for try await _ in logged.streamingCompletion(
                    model: "gpt-3.5-turbo", messages: messages, options: streamed)
                {}
            }
            await logged.flush()
        })
    try await logged.shutdown()

    rows += try inFlightRows(workload: "completion", label: "1,000 concurrent completions + 1 logger")
    rows += try inFlightRows(workload: "completion-bare", label: "baseline: 1,000 bare tasks")
    return rows
}

/// 1,000 concurrent mock completions with a counting logger (`completion`), or 1,000 bare tasks building the same
/// response (`completion-bare`): prints peak RSS in MiB, memory per call in KiB and wall time in ms (everything
/// delivered included).
nonisolated func concurrentCompletions(bare: Bool) async throws {
    let count = 1_000
    let logger = CountingLogger()
    let llm = CompletionClient(loggers: [logger])
    let options = CompletionOptions(mockResponse: "hello")
    @Sendable func call() async throws -> String {
        if bare {
            return CompletionResponse(choices: [.init(message: WireMessage(role: "assistant", content: "hello"))]).text
        }
        return try await llm.completion(model: "gpt-3.5-turbo", messages: [.user("hi")], options: options).text
    }
    for _ in 0..<20 { _ = try await call() }
    await llm.flush()
    _ = ResidentMemory.resetPeak()
    let before = ResidentMemory.currentKiB
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<count { group.addTask { try await call() } }
        for try await answer in group where answer != "hello" { throw BenchError("wrong answer \(answer)") }
    }
    await llm.flush()
    let wall = (ContinuousClock.now - started).microseconds / 1000
    let peak = ResidentMemory.peakKiB
    if !bare, logger.total != 3 * (count + 20) {
        throw BenchError("\(logger.total) events of \(3 * (count + 20)) delivered")
    }
    try await llm.shutdown()
    print(peak / 1024, (peak - before) / Double(count), wall)
}

/// Counts every hook call.
final class CountingLogger: CompletionLogger {
    private let count = Mutex(0)
    var total: Int { count.withLock { $0 } }

    func logPreAPICall(_ payload: LoggingPayload) async throws { count.withLock { $0 += 1 } }
    func logPostAPICall(_ payload: LoggingPayload) async throws { count.withLock { $0 += 1 } }
    func logSuccess(_ payload: LoggingPayload) async throws { count.withLock { $0 += 1 } }
    func logFailure(_ payload: LoggingPayload) async throws { count.withLock { $0 += 1 } }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
}
