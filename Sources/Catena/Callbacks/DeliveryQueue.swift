import Synchronization

/// Hands jobs to a slow consumer off the caller's path: in order, never dropped, bounded by backpressure.
///
/// The one delivery mechanism behind ``BufferedCallbackHandler`` and the completion layer's loggers. Enqueuing
/// appends a job under a lock and returns; one background task takes everything queued at once and delivers it in
/// turn, so a busy caller wakes it once per batch rather than once per job. ``waitForRoom()`` suspends while
/// `capacity` jobs wait undelivered: callers await it before starting a unit of work (a run, a call), so a slow
/// consumer slows them down instead of losing jobs or growing memory without bound. The jobs of work already
/// started are always accepted, so the queue holds at most `capacity` plus those.
package final class DeliveryQueue<Job: Sendable>: Sendable {
    private let buffer: DeliveryBuffer<Job>
    private let drain: Task<Void, Never>

    /// Starts the delivery task; `deliver` hands one job to the consumer and returns how many of its hooks threw.
    package init(capacity: Int, deliver: @escaping @Sendable (Job) async -> Int) {
        precondition(capacity > 0, "a delivery queue needs room for at least one job")
        let buffer = DeliveryBuffer<Job>(capacity: capacity)
        self.buffer = buffer
        drain = Task {
            while let batch = await buffer.nextBatch() {
                for item in batch {
                    switch item {
                    case .job(let job): buffer.delivered(failures: await deliver(job))
                    case .marker(let waiter): waiter.resume()
                    }
                }
            }
        }
    }

    deinit {
        buffer.finish()
    }

    /// Queues `job`; never waits and never drops. A job that is not `urgent` (one that more jobs of the same unit of
    /// work follow soon, such as a call's start) wakes an idle delivery task only when the last wake-up is over a
    /// millisecond old: the unit's last job (urgent) wakes it, so waking is paid once per unit, not per job.
    package func enqueue(_ job: Job, urgent: Bool = true) {
        buffer.enqueue(job, urgent: urgent)
    }

    /// Waits while the queue is full (`capacity` jobs undelivered), behind the callers that waited first; returns
    /// at once when the caller's task is cancelled (its work, which checks for cancellation, then ends soon).
    package func waitForRoom() async {
        await buffer.waitForRoom()
    }

    /// Whether ``waitForRoom()`` would return at once.
    package var hasRoom: Bool { buffer.hasRoom }

    /// Waits until every job queued before this call has been delivered.
    package func flush() async {
        await withCheckedContinuation { waiter in buffer.append(waiter) }
    }

    /// Delivers what is queued, then stops the delivery task.
    package func shutdown() async {
        buffer.finish()
        await drain.value
    }

    /// The counters so far.
    package var statistics: DeliveryStatistics { buffer.statistics }

    /// Jobs queued but not yet delivered.
    package var backlog: Int { buffer.backlog }
}

/// What a delivery queue shares with its delivery task: the jobs and markers in order, and the callers waiting for
/// room.
private final class DeliveryBuffer<Job: Sendable>: Sendable {
    enum Item: Sendable {
        case job(Job)
        case marker(CheckedContinuation<Void, Never>)
    }

    struct State: Sendable {
        var pending: [Item] = []
        /// Jobs queued or being delivered.
        var undelivered = 0
        /// Callers waiting for room, in arrival order, each with its number.
        var waitingForRoom: [(number: Int, waiter: CheckedContinuation<Void, Never>)] = []
        /// The number the next caller waiting for room gets.
        var nextWaiterNumber = 0
        /// Callers whose task was cancelled before they started waiting: they do not wait.
        var cancelledWaiters: Set<Int> = []
        /// The delivery task, when it waits for work.
        var idleDrain: CheckedContinuation<Void, Never>?
        /// When the delivery task was last woken by a job.
        var lastWake = ContinuousClock.now
        var finished = false
        var statistics = DeliveryStatistics()

        /// Takes the idle delivery task, to be resumed outside the lock.
        mutating func wake() -> CheckedContinuation<Void, Never>? {
            defer { idleDrain = nil }
            return idleDrain
        }
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    var statistics: DeliveryStatistics { state.withLock { $0.statistics } }
    var backlog: Int { state.withLock { $0.undelivered } }

    func enqueue(_ job: Job, urgent: Bool) {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.statistics.submitted += 1
            state.undelivered += 1
            state.pending.append(.job(job))
            guard state.idleDrain != nil else { return nil }
            let now = ContinuousClock.now
            guard urgent || now - state.lastWake > .milliseconds(1) else { return nil }
            state.lastWake = now
            return state.wake()
        }?.resume()
    }

    /// Queues a marker; once the queue is finished there is nothing left to wait for, and it is resumed at once.
    func append(_ marker: CheckedContinuation<Void, Never>) {
        // What to resume outside the lock: the marker itself once finished, else the idle delivery task, if any.
        let resumed = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.finished { return marker }
            state.pending.append(.marker(marker))
            return state.wake()
        }
        resumed?.resume()
    }

    var hasRoom: Bool { state.withLock { $0.undelivered < capacity && $0.waitingForRoom.isEmpty } }

    func waitForRoom() async {
        guard !hasRoom else { return }
        let number = state.withLock { state in
            defer { state.nextWaiterNumber += 1 }
            return state.nextWaiterNumber
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                let admitted = state.withLock { state in
                    if state.cancelledWaiters.remove(number) != nil { return true }
                    if state.undelivered < capacity && state.waitingForRoom.isEmpty { return true }
                    state.statistics.backpressureWaits += 1
                    state.waitingForRoom.append((number, waiter))
                    return false
                }
                if admitted { waiter.resume() }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.waitingForRoom.firstIndex(where: { $0.number == number }) else {
                    state.cancelledWaiters.insert(number)
                    return nil
                }
                return state.waitingForRoom.remove(at: index).waiter
            }?.resume()
        }
    }

    /// A job was delivered: callers waiting for room go on, first come first, as many as there is room for (all
    /// of them once the queue is empty, so that none waits for a delivery that will not come).
    func delivered(failures: Int) {
        let unblocked = state.withLock { state -> ArraySlice<(number: Int, waiter: CheckedContinuation<Void, Never>)> in
            state.statistics.delivered += 1
            state.statistics.hookFailures += failures
            state.undelivered -= 1
            let room = state.undelivered == 0 ? state.waitingForRoom.count : capacity - state.undelivered
            guard room > 0, !state.waitingForRoom.isEmpty else { return [] }
            let resumed = state.waitingForRoom.prefix(room)
            state.waitingForRoom.removeFirst(resumed.count)
            return resumed
        }
        for (_, waiter) in unblocked { waiter.resume() }
    }

    /// Everything queued, waiting while there is nothing; `nil` once finished and drained.
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

/// How delivery to a slow consumer went so far.
public struct DeliveryStatistics: Sendable, Hashable {
    /// Events queued.
    public var submitted = 0
    /// Events handed to every hook they were meant for.
    public var delivered = 0
    /// Hooks that threw (logged and isolated).
    public var hookFailures = 0
    /// Times a caller waited because the queue was full.
    public var backpressureWaits = 0
}
