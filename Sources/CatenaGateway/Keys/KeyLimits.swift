import Foundation
import Hummingbird
import Synchronization

/// Virtual keys' limits counted in this process: requests and tokens over one-minute windows, requests in flight,
/// the budget reservations of those in flight, and each key's spend as this process knows it. What one gateway
/// needs (on SQLite, or on PostgreSQL without Redis); replicas share ``RedisKeyLimits``, which falls back to this
/// while Redis is away.
///
/// A key's spend is counted here the moment a call's cost is known, before the store has it, so the next admission
/// sees it whatever key record it was given: admission compares the budget with the higher of the record's spend
/// and this process's count (the record's, as first seen in the budget period, plus every cost charged here since),
/// plus what the requests in flight reserved. With `max_tokens` set, a reservation covers its answer, so a key never
/// spends past its budget; without it, by at most what the answers in flight when the budget was reached cost.
final class KeyLimits: UsageLimiter {
    /// A key's counts.
    private struct Usage {
        var windowStart: ContinuousClock.Instant
        /// The minute `windowStart` opened, counted from this limiter's start.
        var minute: Int64
        var requests = 0
        /// Tokens used and reserved in the window.
        var tokens = 0
        var inFlight = 0
        var reserved = Nanodollars(value: 0)
        /// The key's spend in its budget period as this process knows it.
        var spent: Nanodollars
        /// The budget period `spent` belongs to (its reset time; `nil` without periods).
        var period: Date?
    }

    private static let window: Duration = .seconds(60)
    private let started = ContinuousClock.now
    private let usage = Mutex<[String: Usage]>([:])

    func admit(_ key: VirtualKey, estimate: CostEstimate) throws(GatewayError) -> Admission {
        let now = ContinuousClock.now
        let estimatedCost = Nanodollars(estimate.cost)
        let result = usage.withLock { usage -> Result<Int64, GatewayError> in
            var current =
                usage[key.hash]
                ?? Usage(
                    windowStart: now, minute: minute(at: now), spent: Nanodollars(key.spend), period: key.budgetResetAt)
            if now - current.windowStart >= Self.window {
                current.windowStart = now
                current.minute = minute(at: now)
                (current.requests, current.tokens) = (0, 0)
            }
            Self.learn(key, into: &current)
            let resetsIn = Int((Self.window - (now - current.windowStart)).components.seconds) + 1
            if let limit = key.maxParallelRequests, current.inFlight >= limit {
                return .failure(
                    .limited(
                        "max_parallel_requests \(limit) reached: \(current.inFlight) requests in flight", retryAfter: 1)
                )
            }
            if let limit = key.rpmLimit, current.requests >= limit {
                return .failure(
                    .limited("rpm_limit \(limit) reached; the minute ends in \(resetsIn) s", retryAfter: resetsIn))
            }
            if let limit = key.tpmLimit, current.tokens.addingReportingOverflow(estimate.tokens).partialValue > limit {
                return .failure(
                    .limited(
                        "tpm_limit \(limit) reached (\(current.tokens) tokens used or reserved, this request may use \(estimate.tokens)); "
                            + "the minute ends in \(resetsIn) s", retryAfter: resetsIn))
            }
            if let budget = key.maxBudget,
                GatewayError.passes(budget, spent: current.spent, reserved: current.reserved, estimate: estimatedCost)
            {
                return .failure(
                    .budgetExceeded(
                        spent: current.spent.dollars, reserved: current.reserved.dollars, estimate: estimate.cost,
                        budget: budget))
            }
            current.requests += 1
            current.inFlight += 1
            current.reserved = current.reserved + estimatedCost
            current.tokens = current.tokens.addingReportingOverflow(estimate.tokens).partialValue
            usage[key.hash] = current
            return .success(current.minute)
        }
        switch result {
        case .success(let minute): return Admission(key: key, estimate: estimate, limiter: self, minute: minute)
        case .failure(let refusal): throw refusal
        }
    }

    /// Takes what a key record says of the spend: a record of a later budget period starts the count again from its
    /// spend; one of the same period raises it (another replica's spend reached the store); an older one is ignored.
    private static func learn(_ key: VirtualKey, into usage: inout Usage) {
        switch (key.budgetResetAt, usage.period) {
        case (let period?, let known?) where period < known:
            return
        case (let period?, let known) where known.map({ period > $0 }) ?? true:
            usage.spent = Nanodollars(key.spend)
            usage.period = period
        default:
            usage.spent = max(usage.spent, Nanodollars(key.spend))
        }
    }

    func charge(_ admission: Admission, cost: Double, tokens: Int) -> Double? {
        usage.withLock { usage in
            guard var current = usage[admission.key.hash] else { return nil }
            current.spent = current.spent + Nanodollars(cost)
            current.tokens = current.tokens.addingReportingOverflow(tokens).partialValue
            usage[admission.key.hash] = current
            return current.spent.dollars
        }
    }

    func settle(_ admission: Admission) {
        usage.withLock { usage in
            guard var current = usage[admission.key.hash] else { return }
            current.inFlight = max(0, current.inFlight - 1)
            current.reserved =
                current.inFlight == 0
                ? Nanodollars(value: 0)
                : max(Nanodollars(value: 0), current.reserved + Nanodollars(-admission.estimatedCost))
            if current.minute == admission.minute {
                current.tokens = max(0, current.tokens - admission.estimatedTokens)
            }
            usage[admission.key.hash] = current
        }
    }

    /// The whole minutes since this limiter started at `instant`.
    private func minute(at instant: ContinuousClock.Instant) -> Int64 {
        (instant - started).components.seconds / 60
    }
}
