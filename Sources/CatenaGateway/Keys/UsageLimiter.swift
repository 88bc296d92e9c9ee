import Foundation
import HTTPTypes
import Synchronization

/// Virtual keys' limits: requests and tokens per minute, requests at once, and the budget, against which each
/// request reserves its estimated cost until it is settled. Counted in this process (``KeyLimits``), or in Redis
/// and so shared by every replica (``RedisKeyLimits``).
protocol UsageLimiter: Sendable {
    /// Counts a request of `key` as started and reserves `estimatedCost` of its budget.
    /// - Throws: ``GatewayError``: 429 naming the limit reached, 400 `budget_exceeded` when the key's spend, what its
    ///   requests in flight reserved and this estimate would pass its budget.
    func admit(_ key: VirtualKey, estimatedCost: Double) async throws(GatewayError) -> Admission
    /// Ends an admitted request: frees its reservation and its place among the requests in flight, and counts the
    /// cost and tokens its calls reported.
    func settle(_ admission: Admission) async
    /// Closes what it holds open (after the last settlement).
    func shutdown() async
}

extension UsageLimiter {
    func shutdown() async {}
}

/// A virtual key's request between admission and settlement, and what its calls used.
final class Admission: Sendable {
    /// The key, as it was admitted.
    let key: VirtualKey
    /// Unique per request.
    let id = UUID().uuidString
    /// The cost reserved against the key's budget.
    let estimatedCost: Double
    /// The limiter that admitted it (Redis's, or this process's while Redis is away).
    let limiter: any UsageLimiter
    private let usage = Mutex<(cost: Double, tokens: Int)>((0, 0))

    init(key: VirtualKey, estimatedCost: Double, limiter: any UsageLimiter) {
        self.key = key
        self.estimatedCost = estimatedCost
        self.limiter = limiter
    }

    /// Counts a finished call's cost and tokens (never negative; huge counts saturate).
    func add(cost: Double, tokens: Int) {
        usage.withLock { usage in
            if cost.isFinite, cost > 0 { usage.cost += cost }
            usage.tokens = usage.tokens.addingReportingOverflow(max(0, tokens)).partialValue
        }
    }

    /// What its calls used so far.
    var used: (cost: Double, tokens: Int) { usage.withLock { $0 } }

    /// Settles it with the limiter that admitted it.
    func settle() async { await limiter.settle(self) }
}

extension GatewayError {
    /// A limit of a key reached (429), named in the message as LiteLLM names it.
    static func limited(_ what: String) -> GatewayError {
        GatewayError(
            status: .tooManyRequests, message: "Rate limit for this key: \(what)", type: "rate_limit_error", param: nil,
            code: "rate_limit_exceeded")
    }

    /// A key whose spend, reservations and this request's estimate pass its budget (400).
    static func budgetExceeded(spent: Double, reserved: Double, estimate: Double, budget: Double) -> GatewayError {
        var message = "Budget exceeded: this key spent $\(spent) of its $\(budget) budget"
        if reserved > 0 { message += "; its requests in flight reserve $\(reserved)" }
        if estimate > 0 { message += "; this request may cost up to $\(estimate)" }
        return GatewayError(status: .badRequest, message: message, type: "budget_exceeded", param: nil, code: "budget_exceeded")
    }

    /// Whether the spend so far, the reservations and an estimate pass a budget. A spend that reached the budget
    /// refuses even a request estimated at nothing.
    static func passes(_ budget: Double, spent: Double, reserved: Double, estimate: Double) -> Bool {
        spent + reserved >= budget || spent + reserved + estimate > budget
    }
}
