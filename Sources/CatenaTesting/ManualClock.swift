import Catena
import Synchronization

/// A clock that moves only when a test advances it: a timing test then asserts what happened by a given time, with
/// no wall-clock bound to fail on a loaded machine.
///
/// ```swift
/// let clock = ManualClock()
/// let limiter = TokenBucketRateLimiter(requestsPerSecond: 50, checkEvery: .milliseconds(2), clock: clock)
/// let calls = Task { for _ in 0..<5 { try await limiter.acquire() } }
/// clock.advance(by: .milliseconds(2))   // wakes the limiter's check, due now
/// ```
public final class ManualClock: Clock, Sendable {
    /// A point in the clock's time: how far it was advanced.
    public struct Instant: InstantProtocol, Sendable {
        /// The time since the clock started.
        public var offset: Duration

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Whether `lhs` comes first.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Int: Sleeper] = [:]
        var nextNumber = 0
    }

    private let state = Mutex(State())

    /// A clock at instant zero.
    public init() {}

    /// The current instant.
    public var now: Instant { state.withLock { $0.now } }
    /// The smallest step: a nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }
    /// How many tasks are sleeping on the clock.
    public var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock is advanced to `deadline` (at once if it is there), or throws `CancellationError`
    /// when the task is cancelled first.
    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let number = state.withLock { state in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let due = state.withLock { state in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[number] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if due { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: number) }?.continuation.resume(
                throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves the clock forward by `duration`, waking the tasks whose deadline it reaches.
    public func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for number in due.keys { state.sleepers[number] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
