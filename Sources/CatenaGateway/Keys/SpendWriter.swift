import Catena
import Foundation
import Logging
import Synchronization

/// Writes spend log entries to the key store in order, off the request path, in batches: whatever was recorded
/// while the last write ran goes in the next transaction. When the store fails, the batch is retried with growing
/// pauses (up to 5 s) until the store returns, while the entries behind it wait: the queue is bounded, so requests
/// then wait for room rather than memory growing, and `catena_gateway_spend_queue_depth` shows the entries not yet
/// written. Only at shutdown is there a limit: a batch still unwritten 10 s after shutdown began is logged in full as
/// an error, never dropped silently.
final class SpendWriter: Sendable {
    /// One job per entry, for the queue's order and bound; each job writes every entry recorded by then.
    private let queue: DeliveryQueue<Void>
    private let state = State()
    private let access: KeyAccess
    private let metrics: GatewayMetrics

    /// The entries recorded and not yet taken by a write, how many are not yet written, and when shutdown began.
    private final class State: Sendable {
        let entries = Mutex<[SpendLogEntry]>([])
        let unwritten = Atomic<Int>(0)
        let shutdownStarted = Mutex<ContinuousClock.Instant?>(nil)
    }

    init(store: any KeyStore, access: KeyAccess, metrics: GatewayMetrics, capacity: Int = 10_000, logger: Logger) {
        self.access = access
        self.metrics = metrics
        let state = state
        queue = DeliveryQueue(capacity: capacity) { _ in
            let batch = state.entries.withLock { entries in
                defer { entries = [] }
                return entries
            }
            guard !batch.isEmpty else { return 0 }
            let failures = await Self.write(batch, to: store, state: state, logger: logger)
            metrics.spendQueueDepth(state.unwritten.subtract(batch.count, ordering: .relaxed).newValue)
            return failures
        }
    }

    /// Writes `batch`, retrying until it is written, or (once shutdown began) for at most 10 s; returns 1 when it
    /// gave up (and logged every entry).
    private static func write(_ batch: [SpendLogEntry], to store: any KeyStore, state: State, logger: Logger) async -> Int {
        var pause = Duration.milliseconds(50)
        while true {
            do {
                try await store.record(batch)
                return 0
            } catch {
                if let started = state.shutdownStarted.withLock({ $0 }), ContinuousClock.now - started > .seconds(10) {
                    for entry in batch {
                        logger.error(
                            "a spend log entry could not be written", metadata: [
                                "error": "\(error)", "request_id": "\(entry.requestID)", "key": "\(entry.keyHash)",
                                "model": "\(entry.model)", "spend": "\(entry.spend)",
                            ])
                    }
                    return 1
                }
                logger.warning("the key store failed; retrying the spend log", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// Counts the entry against its key at once and queues it for the store.
    func record(_ entry: SpendLogEntry) {
        access.spent(entry.spend, keyHash: entry.keyHash)
        state.entries.withLock { $0.append(entry) }
        metrics.spendQueueDepth(state.unwritten.add(1, ordering: .relaxed).newValue)
        queue.enqueue(())
    }

    /// Whether the queue has room for new requests.
    var hasRoom: Bool { queue.hasRoom }

    /// Waits while the queue is full.
    func waitForRoom() async { await queue.waitForRoom() }

    /// Waits until every entry recorded so far is written (or given up on).
    func flush() async { await queue.flush() }

    /// Writes what is queued (trying for at most 10 s more while the store fails), then stops.
    func shutdown() async {
        state.shutdownStarted.withLock { $0 = .now }
        await queue.shutdown()
    }
}

/// Records a key's successful call: in the spend log, the metrics and the request's admission (its tokens and cost,
/// settled with the key's limits). A run handler of the call, which sees its end with its cost and usage (an answer
/// from the cache costs 0; failed attempts nothing).
final class SpendRecorder: CallbackHandler {
    private let admission: Admission
    private let model: String
    private let writer: SpendWriter
    private let metrics: GatewayMetrics
    private let started = Date()

    init(admission: Admission, model: String, writer: SpendWriter, metrics: GatewayMetrics) {
        self.admission = admission
        self.model = model
        self.writer = writer
        self.metrics = metrics
    }

    func handle(_ event: CallbackEvent) {
        guard case .llmEnd(let result) = event.payload else { return }
        let usage = result.tokenUsage
        let (key, cost) = (admission.key, result.cost ?? 0)
        metrics.spent(cost, by: key, on: model)
        admission.add(cost: cost, tokens: (usage?.inputTokens ?? 0) &+ (usage?.outputTokens ?? 0))
        writer.record(SpendLogEntry(
            requestID: event.run.id.uuidString, keyHash: key.hash, teamID: key.teamID, model: model,
            promptTokens: usage?.inputTokens ?? 0, completionTokens: usage?.outputTokens ?? 0,
            spend: cost, startTime: started, endTime: Date()))
    }
}
