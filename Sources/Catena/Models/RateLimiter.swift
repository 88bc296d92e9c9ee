import Synchronization

/// Limits how often a model is called. The framework calls ``acquire()`` before each model call that is not
/// answered from the cache.
public protocol RateLimiter: Sendable {
    /// Waits until a call may proceed.
    func acquire() async throws
}

/// A token bucket: tokens accrue at `requestsPerSecond` up to `maxBucketSize`; each call takes one, waiting in
/// steps of `checkEvery` while the bucket is empty. The bucket starts empty, as LangChain's does.
///
/// ```swift
/// let limiter = TokenBucketRateLimiter(requestsPerSecond: 2)
/// ```
public final class TokenBucketRateLimiter: RateLimiter {
    /// Tokens added per second.
    public let requestsPerSecond: Double
    /// How long to wait before checking an empty bucket again.
    public let checkEvery: Duration
    /// The most tokens the bucket holds (the largest burst).
    public let maxBucketSize: Double
    private let bucket: Mutex<(tokens: Double, last: Duration?)>
    /// The time on the limiter's clock since it was made.
    private let elapsed: @Sendable () -> Duration
    /// Waits on the limiter's clock.
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a limiter that measures time on `clock` (a test's own clock makes its timing exact).
    public init<C: Clock>(
        requestsPerSecond: Double, checkEvery: Duration = .milliseconds(100), maxBucketSize: Double = 1,
        clock: C = ContinuousClock()
    ) where C.Duration == Duration {
        precondition(requestsPerSecond > 0, "requestsPerSecond must be positive")
        self.requestsPerSecond = requestsPerSecond
        self.checkEvery = checkEvery
        self.maxBucketSize = maxBucketSize
        self.bucket = Mutex((0, nil))
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
    }

    /// Takes a token, waiting while the bucket is empty.
    public func acquire() async throws {
        while !tryAcquire() {
            try await sleep(checkEvery)
        }
    }

    /// Takes a token if one is available.
    public func tryAcquire() -> Bool {
        let now = elapsed()
        return bucket.withLock { bucket in
            if let last = bucket.last {
                let refill = (now - last).seconds * requestsPerSecond
                bucket.tokens = min(maxBucketSize, bucket.tokens + refill)
            }
            bucket.last = now
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }
}
