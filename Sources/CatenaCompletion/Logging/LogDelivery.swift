import Logging
import Synchronization

/// Delivers logging events to loggers off the request path: in order, never dropped, with backpressure.
///
/// Submitting an event appends it to an ordered buffer under a lock and returns; one background task takes
/// everything buffered at once and hands each event to its loggers in turn, so a busy caller wakes it once per
/// batch rather than once per event. When `capacity` events wait undelivered, submitting suspends until one is
/// delivered, so a slow logger slows callers down instead of losing events or growing memory without bound. A hook
/// that throws is logged and counted; the next hooks still run.
final class LogDelivery: Sendable {
    /// One event for the loggers that were registered when its call started.
    struct Job: Sendable {
        let event: LogEvent
        let payload: LoggingPayload
        let loggers: [any CompletionLogger]
    }

    private let queue: Queue
    private let drain: Task<Void, Never>

    /// Starts the delivery task.
    init(capacity: Int, logger: Logger) {
        precondition(capacity > 0, "the log buffer needs room for at least one event")
        let queue = Queue(capacity: capacity)
        self.queue = queue
        drain = Task {
            while let batch = await queue.nextBatch() {
                for item in batch {
                    switch item {
                    case .job(let job):
                        queue.delivered(failures: await Self.deliver(job, logger: logger))
                    case .marker(let waiter):
                        waiter.resume()
                    }
                }
            }
        }
    }

    deinit {
        queue.finish()
    }

    /// Queues an event, waiting first while the buffer is full.
    func submit(_ job: Job) async {
        await queue.submit(job)
    }

    /// Waits until every event submitted before this call has been delivered.
    func flush() async {
        await withCheckedContinuation { waiter in queue.append(.marker(waiter)) }
    }

    /// Delivers what is queued, then stops.
    func shutdown() async {
        queue.finish()
        await drain.value
    }

    /// The counters so far.
    var statistics: LogDeliveryStatistics { queue.statistics }

    /// Hands `job` to each of its loggers; returns how many hooks threw.
    private static func deliver(_ job: Job, logger: Logger) async -> Int {
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
        return failures
    }
}

/// The buffer between callers and the delivery task.
private final class Queue: Sendable {
    enum Item: Sendable {
        case job(LogDelivery.Job)
        case marker(CheckedContinuation<Void, Never>)
    }

    struct State {
        var pending: [Item] = []
        /// Jobs buffered or being delivered.
        var undelivered = 0
        /// Callers waiting for room, each with its job, in arrival order.
        var blocked: [(job: LogDelivery.Job, waiter: CheckedContinuation<Void, Never>)] = []
        /// The delivery task, when it waits for work.
        var idleDrain: CheckedContinuation<Void, Never>?
        var finished = false
        var statistics = LogDeliveryStatistics()

        /// Buffers `job` if there is room and no caller waits before it; returns the delivery task to wake.
        mutating func admit(
            _ job: LogDelivery.Job, capacity: Int
        ) -> (admitted: Bool, drain: CheckedContinuation<Void, Never>?) {
            guard undelivered < capacity, blocked.isEmpty else { return (false, nil) }
            undelivered += 1
            pending.append(.job(job))
            return (true, wake())
        }

        /// Takes the idle delivery task, to be resumed outside the lock.
        mutating func wake() -> CheckedContinuation<Void, Never>? {
            defer { idleDrain = nil }
            return idleDrain
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    var statistics: LogDeliveryStatistics { state.withLock { $0.statistics } }

    func submit(_ job: LogDelivery.Job) async {
        let (admitted, drain) = state.withLock { state in
            state.statistics.submitted += 1
            return state.admit(job, capacity: capacity)
        }
        drain?.resume()
        guard !admitted else { return }
        // Full: the job joins the queue when a delivered job frees a slot; the caller resumes then.
        await withCheckedContinuation { waiter in
            let (admitted, drain) = state.withLock { state in
                state.statistics.backpressureWaits += 1
                let admission = state.admit(job, capacity: capacity)
                if !admission.admitted { state.blocked.append((job, waiter)) }
                return admission
            }
            drain?.resume()
            if admitted { waiter.resume() }
        }
    }

    func append(_ item: Item) {
        state.withLock { state in
            state.pending.append(item)
            return state.wake()
        }?.resume()
    }

    /// A job was delivered: its slot goes to the first blocked caller, if any.
    func delivered(failures: Int) {
        let unblocked = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.statistics.delivered += 1
            state.statistics.hookFailures += failures
            guard !state.blocked.isEmpty else {
                state.undelivered -= 1
                return nil
            }
            let (job, waiter) = state.blocked.removeFirst()
            state.pending.append(.job(job))
            return waiter
        }
        unblocked?.resume()
    }

    /// Everything buffered, waiting while there is nothing; `nil` once finished and drained.
    func nextBatch() async -> [Item]? {
        while true {
            let batch = state.withLock { state -> [Item]?? in
                if !state.pending.isEmpty {
                    defer { state.pending = [] }
                    return state.pending
                }
                return state.finished ? .some(nil) : nil
            }
            if let batch { return batch }
            await withCheckedContinuation { waiter in
                let ready = state.withLock { state in
                    if !state.pending.isEmpty || state.finished { return true }
                    state.idleDrain = waiter
                    return false
                }
                if ready { waiter.resume() }
            }
        }
    }

    func finish() {
        state.withLock { state in
            state.finished = true
            return state.wake()
        }?.resume()
    }
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
