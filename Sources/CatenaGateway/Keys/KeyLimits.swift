import Foundation
import Hummingbird
import Synchronization

/// Virtual keys' limits counted in this process: requests and tokens over one-minute windows, requests in flight,
/// and the budget reservations of those in flight. What one gateway needs; replicas share ``RedisKeyLimits``.
final class KeyLimits: UsageLimiter {
    /// A key's counts in its current window.
    private struct Usage {
        var windowStart: ContinuousClock.Instant
        var requests = 0
        var tokens = 0
        var inFlight = 0
        var reserved = 0.0
    }

    private static let window: Duration = .seconds(60)
    private let usage = Mutex<[String: Usage]>([:])

    func admit(_ key: VirtualKey, estimatedCost: Double) throws(GatewayError) -> Admission {
        let now = ContinuousClock.now
        let refusal = usage.withLock { usage -> GatewayError? in
            var current = usage[key.hash] ?? Usage(windowStart: now)
            if now - current.windowStart >= Self.window {
                current = Usage(windowStart: now, inFlight: current.inFlight, reserved: current.reserved)
            }
            let resetsIn = Int((Self.window - (now - current.windowStart)).components.seconds) + 1
            if let limit = key.maxParallelRequests, current.inFlight >= limit {
                return .limited("max_parallel_requests \(limit) reached: \(current.inFlight) requests in flight")
            }
            if let limit = key.rpmLimit, current.requests >= limit {
                return .limited("rpm_limit \(limit) reached; the minute ends in \(resetsIn) s")
            }
            if let limit = key.tpmLimit, current.tokens >= limit {
                return .limited("tpm_limit \(limit) reached (\(current.tokens) tokens); the minute ends in \(resetsIn) s")
            }
            if let budget = key.maxBudget,
                GatewayError.passes(budget, spent: key.spend, reserved: current.reserved, estimate: estimatedCost)
            {
                return .budgetExceeded(spent: key.spend, reserved: current.reserved, estimate: estimatedCost, budget: budget)
            }
            current.requests += 1
            current.inFlight += 1
            current.reserved += estimatedCost
            usage[key.hash] = current
            return nil
        }
        if let refusal { throw refusal }
        return Admission(key: key, estimatedCost: estimatedCost, limiter: self)
    }

    func settle(_ admission: Admission) {
        let tokens = admission.used.tokens
        usage.withLock { usage in
            guard var current = usage[admission.key.hash] else { return }
            current.inFlight = max(0, current.inFlight - 1)
            current.reserved = current.inFlight == 0 ? 0 : max(0, current.reserved - admission.estimatedCost)
            current.tokens = current.tokens.addingReportingOverflow(tokens).partialValue
            usage[admission.key.hash] = current
        }
    }
}
