import Foundation

/// When and how often ``RunnableRetry`` tries again: attempts, exponential backoff with jitter, and which errors
/// are worth retrying.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included.
    public var maxAttempts: Int
    /// Wait before the second attempt.
    public var initialDelay: Duration
    /// Factor by which the wait grows after each attempt.
    public var multiplier: Double
    /// Longest wait between attempts (before jitter). A server that asks for a longer wait (a `Retry-After`
    /// beyond it) is not retried: its rate limit is reported to the caller instead.
    public var maxDelay: Duration
    /// Up to this much random time is added to each wait, so concurrent callers spread out.
    public var jitter: Duration
    /// Whether an error is worth another attempt (cancellation never is).
    public var shouldRetry: @Sendable (any Error) -> Bool
    /// How to wait; replaceable in tests.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// Creates a policy. The defaults retry any error up to 3 attempts, waiting about 1 s then 2 s.
    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .seconds(1),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(60),
        jitter: Duration = .seconds(1),
        shouldRetry: @escaping @Sendable (any Error) -> Bool = { _ in true },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.shouldRetry = shouldRetry
        self.sleep = sleep
    }

    /// The wait after failed attempt number `attempt` (1-based): exponential, capped, plus random jitter.
    ///
    /// Computed in seconds and capped before it becomes a `Duration`, so no attempt number or setting can overflow.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponential = initialDelay.seconds * pow(multiplier, Double(max(0, attempt - 1)))
        let cap = max(0, maxDelay.seconds)
        let capped = exponential.isNaN ? cap : min(max(0, exponential), cap)
        let jitterSeconds = Double.random(in: 0...1) * max(0, jitter.seconds)
        return .seconds(capped + jitterSeconds)
    }

    /// Whether `error` after attempt number `attempt` leads to another attempt.
    public func retries(_ error: any Error, afterAttempt attempt: Int) -> Bool {
        attempt < maxAttempts && !(error is CancellationError) && !Task.isCancelled && shouldRetry(error)
    }
}

/// An error that says how long to wait before trying again, such as a server's rate limit with `Retry-After`.
public protocol RetryAfterError: Error {
    /// The wait the error asks for; `nil`: the retry policy's own backoff applies.
    var retryAfter: Duration? { get }
}

extension RetryPolicy {
    /// Runs `attempt` (given its number, from 1) until it succeeds or this policy gives up: the one retry loop of
    /// ``RunnableRetry``, the model server client and the gateway's spend writer.
    ///
    /// Before each wait `onRetry` learns the failed attempt, its error and the wait. An error that asks for its own
    /// wait (a ``RetryAfterError``) is waited for that long instead of the backoff, or not retried at all when it
    /// asks for longer than ``maxDelay``.
    /// - Throws: The error of the last attempt; what `onRetry` throws; `CancellationError` when cancelled while
    ///   waiting.
    public func run<T>(
        onRetry: (RetryState) throws -> Void = { _ in }, _ attempt: (_ number: Int) async throws -> T
    ) async throws -> T {
        var number = 1
        while true {
            do {
                return try await attempt(number)
            } catch {
                guard retries(error, afterAttempt: number) else { throw error }
                var wait = delay(afterAttempt: number)
                if let asked = (error as? any RetryAfterError)?.retryAfter {
                    guard asked <= maxDelay else { throw error }
                    wait = asked
                }
                try onRetry(RetryState(attempt: number, error: error, delay: wait))
                try await sleep(wait)
                number += 1
            }
        }
    }
}
