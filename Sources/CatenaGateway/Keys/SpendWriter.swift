import Catena
import CatenaOpenAI
import Foundation
import Logging
import Synchronization

/// Writes spend log entries to the key store in order, off the request path, in batches: the first entry after a
/// write waits `gathering` (100 ms by default) for others to join it, so that a busy gateway commits once per batch
/// rather than once per request (the commit, not the row, is what costs the store most). A flush, shutdown, or
/// 1,000 entries waiting end the wait at once. When the store fails, the batch is retried with growing pauses (up to
/// 5 s; a flush or shutdown ends the pause, so a store that is back is tried at once) until the store returns, while
/// the entries behind it wait: the queue is bounded, so requests then wait for room rather than memory growing, and
/// `catena_gateway_spend_queue_depth` shows the entries not yet written. Only at shutdown is there a limit: a batch
/// still unwritten 10 s after shutdown began is logged in full as an error, never dropped silently.
final class SpendWriter: Sendable {
    /// One job per entry (its number), for the queue's order and bound; the job of the first entry not yet taken
    /// gathers and writes every entry recorded by then, and the jobs of the entries it took return at once.
    private let queue: DeliveryQueue<Int>
    private let state: State
    private let metrics: GatewayMetrics

    /// The entries recorded and not yet taken by a write, how many are not yet written, and when shutdown began.
    private final class State: Sendable {
        /// The entries not yet taken, and the number the next entry recorded gets.
        let entries = Mutex<(waiting: [SpendLogEntry], next: Int)>(([], 0))
        let unwritten = Atomic<Int>(0)
        let shutdownStarted = Mutex<ContinuousClock.Instant?>(nil)
        /// Callers that want the entries written now (a flush or shutdown under way), the current pause (gathering
        /// or between attempts at a failing store), which they end, and whether one came while there was none to end.
        let hurry = Mutex<(callers: Int, pause: Task<Void, any Error>?, missed: Bool)>((0, nil, false))
        /// How many entries waiting end a gathering pause.
        static let fullBatch = 1_000

        /// Ends the current pause, if any.
        func endPause() {
            hurry.withLock { $0.pause }?.cancel()
        }

        /// Waits `duration` on `clock`, or less: a caller that wants the entries written ends the wait (one that
        /// came since the last pause ends it at once, so that a store back from an outage is tried again now);
        /// a `gathering` pause is skipped while such a caller waits or a full batch is waiting.
        func pause(for duration: Duration, on clock: some Clock<Duration>, gathering: Bool) async {
            let pause = Task { try await clock.sleep(for: duration) }
            let hurried = hurry.withLock { hurry in
                hurry.pause = pause
                defer { hurry.missed = false }
                return hurry.missed || (gathering && hurry.callers > 0)
            }
            if hurried || (gathering && unwritten.load(ordering: .relaxed) >= Self.fullBatch) { pause.cancel() }
            _ = await pause.result
            hurry.withLock { $0.pause = nil }
        }

        /// Runs `body` as a caller that wants the entries written now.
        func hurrying(_ body: () async -> Void) async {
            hurry.withLock { hurry in
                hurry.callers += 1
                if hurry.pause == nil { hurry.missed = true }
                return hurry.pause
            }?.cancel()
            await body()
            hurry.withLock { $0.callers -= 1 }
        }
    }

    /// A writer to `store` whose queue holds up to `capacity` entries, each batch gathered for `gathering` on
    /// `clock`.
    init(
        store: any KeyStore, metrics: GatewayMetrics, capacity: Int = 10_000,
        gathering: Duration = .milliseconds(100), clock: some Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.metrics = metrics
        let state = State()
        self.state = state
        queue = DeliveryQueue(capacity: capacity) { number in
            guard state.entries.withLock({ number >= $0.next - $0.waiting.count }) else { return 0 }
            await state.pause(for: gathering, on: clock, gathering: true)  // skipped once shutdown hurries
            let batch = state.entries.withLock { entries in
                defer { entries.waiting = [] }
                return entries.waiting
            }
            let failures = await Self.write(batch, to: store, state: state, clock: clock, logger: logger)
            metrics.spendQueueDepth(state.unwritten.subtract(batch.count, ordering: .relaxed).newValue)
            return failures
        }
    }

    /// Writes `batch`, retrying until it is written, or (once shutdown began) for at most 10 s; returns 1 when it
    /// gave up (and logged every entry).
    private static func write(
        _ batch: [SpendLogEntry], to store: any KeyStore, state: State, clock: some Clock<Duration>, logger: Logger
    ) async -> Int {
        let policy = RetryPolicy(
            maxAttempts: .max, initialDelay: .milliseconds(50), maxDelay: .seconds(5), jitter: .zero,
            shouldRetry: { _ in
                guard let started = state.shutdownStarted.withLock({ $0 }) else { return true }
                return ContinuousClock.now - started <= .seconds(10)
            }, sleep: { delay in await state.pause(for: delay, on: clock, gathering: false) })
        do {
            try await policy.run(onRetry: { retry in
                logger.warning("the key store failed; retrying the spend log", metadata: ["error": "\(retry.error)"])
            }) { _ in try await store.record(batch) }
            return 0
        } catch {
            for entry in batch {
                logger.error(
                    "a spend log entry could not be written",
                    metadata: [
                        "error": "\(error)", "request_id": "\(entry.requestID)", "key": "\(entry.keyHash)",
                        "model": "\(entry.model)", "spend": "\(entry.spend)",
                    ])
            }
            return 1
        }
    }

    /// Queues the entry for the store.
    func record(_ entry: SpendLogEntry) {
        let number = state.entries.withLock { entries in
            entries.waiting.append(entry)
            defer { entries.next += 1 }
            return entries.next
        }
        let unwritten = state.unwritten.add(1, ordering: .relaxed).newValue
        metrics.spendQueueDepth(unwritten)
        if unwritten >= State.fullBatch { state.endPause() }
        queue.enqueue(number)
    }

    /// Whether the queue has room for new requests.
    var hasRoom: Bool { queue.hasRoom }

    /// Waits while the queue is full.
    func waitForRoom() async { await queue.waitForRoom() }

    /// Waits until every entry recorded so far is written (or given up on).
    func flush() async { await state.hurrying { await queue.flush() } }

    /// Writes what is queued (trying for at most 10 s more while the store fails), then stops.
    func shutdown() async {
        state.shutdownStarted.withLock { $0 = .now }
        await state.hurrying { await queue.shutdown() }
    }
}

/// Records a key's calls: in the spend log, the metrics and the request's admission (its tokens and cost, settled
/// with the key's limits). A run handler of each call, which sees its end with its cost and usage (an answer from the
/// cache costs 0; failed attempts nothing). A stream the client left is billed for what it produced: a token per
/// chunk of text (as vLLM and llama.cpp stream), and the prompt as the server counted it, else as estimated.
final class SpendRecorder: CallbackHandler {
    private let admission: Admission
    private let model: String
    private let estimate: CostEstimate
    private let writer: SpendWriter
    private let metrics: GatewayMetrics
    private let started = Date()
    /// Chunks of text streamed so far.
    private let streamed = Atomic<Int>(0)

    init(admission: Admission, model: String, estimate: CostEstimate, writer: SpendWriter, metrics: GatewayMetrics) {
        self.admission = admission
        self.model = model
        self.estimate = estimate
        self.writer = writer
        self.metrics = metrics
    }

    func handle(_ event: CallbackEvent) {
        switch event.payload {
        case .llmNewToken(let token, _) where !token.isEmpty:
            streamed.add(1, ordering: .relaxed)
        case .llmEnd(let result):
            let usage = result.tokenUsage
            record(
                run: event.run.id, prompt: usage?.inputTokens ?? 0, completion: usage?.outputTokens ?? 0,
                cost: result.cost ?? 0)
        case .llmError(let error, let partial) where Self.isCancellation(error):
            let produced = streamed.load(ordering: .relaxed)
            guard produced > 0 else { return }
            let prompt = partial.tokenUsage?.inputTokens ?? estimate.promptTokens
            let completion = max(partial.tokenUsage?.outputTokens ?? 0, produced)
            record(
                run: event.run.id, prompt: prompt, completion: completion,
                cost: estimate.cost(prompt: prompt, completion: completion))
        default:
            return
        }
    }

    /// A token count as stored. A model server's count is not trusted: one below 0 is 0, and one past 2³² (no model
    /// reads or writes that many in a call) is 2³², so the stores' 64-bit totals of them cannot overflow.
    static func plausible(_ tokens: Int) -> Int { min(max(tokens, 0), 1 << 32) }

    /// Whether `error` ended a call because its consumer went away.
    private static func isCancellation(_ error: any Error) -> Bool {
        if case .cancelled? = error as? ModelServerError { return true }
        return error is CancellationError
    }

    private func record(run: UUID, prompt reportedPrompt: Int, completion reportedCompletion: Int, cost: Double) {
        let (prompt, completion) = (Self.plausible(reportedPrompt), Self.plausible(reportedCompletion))
        let key = admission.key
        let spend = admission.add(cost: cost, tokens: prompt &+ completion)
        metrics.spent(cost, by: key, on: model, keySpend: spend ?? key.spend + cost)
        writer.record(
            SpendLogEntry(
                requestID: run.uuidString, keyHash: key.hash, teamID: key.teamID, model: model, promptTokens: prompt,
                completionTokens: completion, spend: cost, startTime: started, endTime: Date()))
    }
}
