/// How a router chose the deployment of a call: the group, the strategy and every decision so far.
public struct RoutingInformation: Sendable, Codable, Hashable {
    /// The model group asked for.
    public var group: String
    /// The group this attempt belongs to (the asked group, or a fallback group).
    public var attemptGroup: String
    /// The deployment that serves this attempt.
    public var deployment: String
    /// The load-balancing strategy.
    public var strategy: String
    /// The decisions taken before and for this attempt, in order.
    public var decisions: [RoutingDecision]

    enum CodingKeys: String, CodingKey {
        case group, attemptGroup = "attempt_group", deployment, strategy, decisions
    }
}

/// One decision of a router.
public struct RoutingDecision: Sendable, Codable, Hashable, CustomStringConvertible {
    /// What was decided.
    public var action: Action
    /// The deployment or group concerned.
    public var target: String
    /// Why.
    public var reason: String

    /// What a router can decide.
    public enum Action: String, Sendable, Codable {
        /// Picked a deployment for an attempt.
        case selected
        /// Left out a deployment that is cooling down.
        case skippedCoolingDown = "skipped_cooling_down"
        /// An attempt failed.
        case failed
        /// Put a deployment in cooldown after its failures.
        case cooldownStarted = "cooldown_started"
        /// Started another round over the group.
        case retried
        /// Moved on to a fallback group.
        case fellBack = "fell_back"
    }

    /// Creates a decision.
    public init(_ action: Action, _ target: String, reason: String) {
        self.action = action
        self.target = target
        self.reason = reason
    }

    /// `action target (reason)`.
    public var description: String { "\(action.rawValue) \(target) (\(reason))" }
}
