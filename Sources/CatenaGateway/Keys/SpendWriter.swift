import Catena
import Foundation
import Logging

/// Writes spend log entries to the key store in order, off the request path. When the store fails, the entry is
/// retried with growing pauses for up to a minute while the entries behind it wait (the queue is bounded: requests
/// then wait for room rather than memory growing); an entry that still cannot be written is logged in full as an
/// error, never dropped silently.
final class SpendWriter: Sendable {
    private let queue: DeliveryQueue<SpendLogEntry>
    private let access: KeyAccess

    init(store: any KeyStore, access: KeyAccess, capacity: Int = 10_000, logger: Logger) {
        self.access = access
        queue = DeliveryQueue(capacity: capacity) { entry in
            var pause = Duration.milliseconds(50)
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                do {
                    try await store.record([entry])
                    return 0
                } catch {
                    guard ContinuousClock.now + pause < deadline else {
                        logger.error(
                            "a spend log entry could not be written", metadata: [
                                "error": "\(error)", "request_id": "\(entry.requestID)", "key": "\(entry.keyHash)",
                                "model": "\(entry.model)", "spend": "\(entry.spend)",
                            ])
                        return 1
                    }
                    logger.warning("the key store failed; retrying the spend log", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(5))
                }
            }
        }
    }

    /// Counts the entry against its key at once and queues it for the store.
    func record(_ entry: SpendLogEntry) {
        access.spent(entry.spend, keyHash: entry.keyHash)
        queue.enqueue(entry)
    }

    /// Whether the queue has room for new requests.
    var hasRoom: Bool { queue.hasRoom }

    /// Waits while the queue is full.
    func waitForRoom() async { await queue.waitForRoom() }

    /// Waits until every entry recorded so far is written (or given up on).
    func flush() async { await queue.flush() }

    /// How writing went: entries written, and those given up on (`hookFailures`).
    var statistics: DeliveryStatistics { queue.statistics }

    /// Writes what is queued, then stops.
    func shutdown() async { await queue.shutdown() }
}

/// Records a key's successful call: in the spend log, the metrics and the key's tokens per minute. A run handler of
/// the call, which sees its end with its cost and usage (an answer from the cache costs 0; failed attempts nothing).
final class SpendRecorder: CallbackHandler {
    private let key: VirtualKey
    private let model: String
    private let writer: SpendWriter
    private let metrics: GatewayMetrics
    private let limits: KeyLimits
    private let started = Date()

    init(key: VirtualKey, model: String, writer: SpendWriter, metrics: GatewayMetrics, limits: KeyLimits) {
        self.key = key
        self.model = model
        self.writer = writer
        self.metrics = metrics
        self.limits = limits
    }

    func handle(_ event: CallbackEvent) {
        guard case .llmEnd(let result) = event.payload else { return }
        let usage = result.tokenUsage
        metrics.spent(result.cost ?? 0, by: key, on: model)
        limits.used((usage?.inputTokens ?? 0) &+ (usage?.outputTokens ?? 0), by: key)
        writer.record(SpendLogEntry(
            requestID: event.run.id.uuidString, keyHash: key.hash, teamID: key.teamID, model: model,
            promptTokens: usage?.inputTokens ?? 0, completionTokens: usage?.outputTokens ?? 0,
            spend: result.cost ?? 0, startTime: started, endTime: Date()))
    }
}
