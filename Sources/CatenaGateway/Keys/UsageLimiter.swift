import Catena
import Foundation
import HTTPTypes
import Synchronization

/// Virtual keys' limits: requests and tokens per minute, requests at once, and the budget, against which each
/// request reserves its estimated cost and tokens until it is settled. Counted in this process (``KeyLimits``), or
/// in Redis and so shared by every replica (``RedisKeyLimits``).
protocol UsageLimiter: Sendable {
    /// Counts a request of `key` as started and reserves what `estimate` says it may cost and use.
    /// - Throws: ``GatewayError``: 429 naming the limit reached, 400 `budget_exceeded` when the key's spend, what its
    ///   requests in flight reserved and this estimate would pass its budget, 503 when the budget cannot be checked
    ///   and the policy is to refuse then.
    func admit(_ key: VirtualKey, estimate: CostEstimate) async throws(GatewayError) -> Admission
    /// Counts a finished call's cost and tokens against its key at once, before the store has them; returns the
    /// key's spend as the limiter now knows it (`nil`: it learns it only at settlement).
    func charge(_ admission: Admission, cost: Double, tokens: Int) -> Double?
    /// Ends an admitted request: frees its reservations and its place among the requests in flight, and counts the
    /// cost and tokens its calls reported where ``charge(_:cost:tokens:)`` did not.
    func settle(_ admission: Admission) async
    /// Closes what it holds open (after the last settlement).
    func shutdown() async
    /// Whether the shared store it counts in answers (`nil`: it counts in this process); for readiness.
    func storeState() async -> StoreState?
}

extension UsageLimiter {
    func charge(_ admission: Admission, cost: Double, tokens: Int) -> Double? { nil }
    func shutdown() async {}
    func storeState() async -> StoreState? { nil }
}

/// A virtual key's request between admission and settlement, and what its calls used.
final class Admission: Sendable {
    /// The key, as it was admitted.
    let key: VirtualKey
    /// Unique per request.
    let id: String
    /// The cost reserved against the key's budget.
    let estimatedCost: Double
    /// The tokens reserved against the key's tokens per minute.
    let estimatedTokens: Int
    /// The limiter that admitted it (Redis's, or this process's while Redis is away).
    let limiter: any UsageLimiter
    /// The minute its tokens were reserved in, as the limiter counts minutes.
    let minute: Int64
    /// What renews its reservation while it runs (Redis's lease), cancelled when it is settled.
    private let renewal: Task<Void, Never>?
    private let usage = Mutex<(cost: Double, tokens: Int)>((0, 0))

    init(
        key: VirtualKey, id: String = UUID.unique().uuidString, estimate: CostEstimate, limiter: any UsageLimiter,
        minute: Int64 = 0,
        renewal: Task<Void, Never>? = nil
    ) {
        self.key = key
        self.id = id
        estimatedCost = estimate.cost
        estimatedTokens = estimate.tokens
        self.limiter = limiter
        self.minute = minute
        self.renewal = renewal
    }

    /// Counts a finished call's cost and tokens (never negative; huge counts saturate), against the key at once;
    /// returns the key's spend as the limiter now knows it, if it does.
    @discardableResult
    func add(cost: Double, tokens: Int) -> Double? {
        let cost = cost.isFinite ? max(0, cost) : 0
        let tokens = max(0, tokens)
        usage.withLock { usage in
            usage.cost += cost
            usage.tokens = usage.tokens.addingReportingOverflow(tokens).partialValue
        }
        return limiter.charge(self, cost: cost, tokens: tokens)
    }

    /// What its calls used so far.
    var used: (cost: Double, tokens: Int) { usage.withLock { $0 } }

    /// Settles it with the limiter that admitted it.
    func settle() async {
        renewal?.cancel()
        await limiter.settle(self)
    }
}

extension GatewayError {
    /// A limit of a key reached (429), named in the message as LiteLLM names it, with the seconds until it may pass.
    static func limited(_ what: String, retryAfter seconds: Int? = nil) -> GatewayError {
        GatewayError(
            status: .tooManyRequests, message: "Rate limit for this key: \(what)", type: "rate_limit_error", param: nil,
            code: "rate_limit_exceeded", retryAfter: seconds)
    }

    /// A key whose spend, reservations and this request's estimate pass its budget (400).
    static func budgetExceeded(spent: Double, reserved: Double, estimate: Double, budget: Double) -> GatewayError {
        var message = "Budget exceeded: this key spent $\(spent) of its $\(budget) budget"
        if reserved > 0 { message += "; its requests in flight reserve $\(reserved)" }
        if estimate > 0 { message += "; this request may cost up to $\(estimate)" }
        return GatewayError(
            status: .badRequest, message: message, type: "budget_exceeded", param: nil, code: "budget_exceeded")
    }

    /// A key with a budget whose spend cannot be checked while its store is away, under
    /// `fail_closed_budget_enforcement` (503).
    static func budgetUnverifiable(_ cause: String) -> GatewayError {
        GatewayError(
            status: .serviceUnavailable,
            message:
                "This key's budget cannot be checked: \(cause) (general_settings.fail_closed_budget_enforcement is on)",
            type: "api_error", param: nil, code: "budget_unverifiable", retryAfter: 1)
    }

    /// Whether the spend so far, the reservations and an estimate pass a budget. A spend that reached the budget
    /// refuses even a request estimated at nothing.
    static func passes(_ budget: Double, spent: Nanodollars, reserved: Nanodollars, estimate: Nanodollars) -> Bool {
        let budget = Nanodollars(budget)
        return spent + reserved >= budget || spent + reserved + estimate > budget
    }
}
