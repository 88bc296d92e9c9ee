import Logging
import Synchronization

/// Delivers logging events to loggers off the request path: in order, never dropped, with backpressure.
///
/// Submitting an event appends it to an ordered buffer and returns; one background task hands each event to its
/// loggers in turn. When `capacity` events wait undelivered, submitting suspends until one is delivered, so a
/// slow logger slows callers down instead of losing events or growing memory without bound. A hook that throws is
/// logged and counted; the next hooks still run.
final class LogDelivery: Sendable {
    /// One event for the loggers that were registered when its call started.
    struct Job: Sendable {
        let event: LogEvent
        let payload: LoggingPayload
        let loggers: [any CompletionLogger]
    }

    private enum Item: Sendable {
        case job(Job)
        case marker(CheckedContinuation<Void, Never>)
    }

    /// Occupied buffer slots, callers waiting for one, and counters; shared with the delivery task.
    private final class Slots: Sendable {
        struct State {
            var used = 0
            var waiting: [CheckedContinuation<Void, Never>] = []
            var statistics = LogDeliveryStatistics()
        }
        let state = Mutex(State())

        func withLock<T: Sendable>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
    }

    let capacity: Int
    private let slots = Slots()
    private let continuation: AsyncStream<Item>.Continuation
    private let drain: Task<Void, Never>

    /// Starts the delivery task.
    init(capacity: Int, logger: Logger) {
        precondition(capacity > 0, "the log buffer needs room for at least one event")
        self.capacity = capacity
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
        self.continuation = continuation
        let slots = slots
        drain = Task {
            for await item in stream {
                switch item {
                case .job(let job):
                    var failures = 0
                    for target in job.loggers {
                        do {
                            try await job.event.deliver(job.payload, to: target)
                        } catch {
                            failures += 1
                            logger.warning(
                                "a completion logger failed; the other loggers still got the event",
                                metadata: [
                                    "logger": "\(type(of: target))", "hook": "\(job.event.hookName)",
                                    "call_id": "\(job.payload.callID)", "error": "\(error)",
                                ])
                        }
                    }
                    let waiter = slots.withLock { slots in
                        slots.statistics.delivered += 1
                        slots.statistics.hookFailures += failures
                        // A caller waiting for room takes over this slot.
                        if slots.waiting.isEmpty {
                            slots.used -= 1
                            return nil as CheckedContinuation<Void, Never>?
                        }
                        return slots.waiting.removeFirst()
                    }
                    waiter?.resume()
                case .marker(let waiter):
                    waiter.resume()
                }
            }
        }
    }

    deinit {
        continuation.finish()
    }

    /// Queues an event, waiting first while the buffer is full.
    func submit(_ job: Job) async {
        let admitted = slots.withLock { slots in
            slots.statistics.submitted += 1
            guard slots.used < capacity else { return false }
            slots.used += 1
            return true
        }
        if !admitted {
            await withCheckedContinuation { waiter in
                let now = slots.withLock { slots in
                    slots.statistics.backpressureWaits += 1
                    if slots.used < capacity {
                        slots.used += 1
                        return true
                    }
                    slots.waiting.append(waiter)
                    return false
                }
                if now { waiter.resume() }
            }
        }
        continuation.yield(.job(job))
    }

    /// Waits until every event submitted before this call has been delivered.
    func flush() async {
        await withCheckedContinuation { waiter in
            continuation.yield(.marker(waiter))
        }
    }

    /// Delivers what is queued, then stops.
    func shutdown() async {
        continuation.finish()
        await drain.value
    }

    /// The counters so far.
    var statistics: LogDeliveryStatistics { slots.withLock { $0.statistics } }
}

/// How logging delivery went so far.
public struct LogDeliveryStatistics: Sendable, Hashable {
    /// Events submitted.
    public var submitted = 0
    /// Events handed to all their loggers.
    public var delivered = 0
    /// Hooks that threw (logged and isolated).
    public var hookFailures = 0
    /// Times a caller waited because the buffer was full.
    public var backpressureWaits = 0
}
