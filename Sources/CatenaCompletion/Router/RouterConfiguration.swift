/// One deployment of a router's model group: a model on one server.
public struct RouterDeployment: Sendable {
    /// Unique id, shown in routing decisions.
    public var id: String
    /// The model group it serves (what callers ask for).
    public var group: String
    /// The model as `provider/name`.
    public var model: String
    /// The deployment's base URL, key, timeout, retries, price… (merged into each call's options).
    public var options: CompletionOptions

    /// Creates a deployment.
    public init(id: String, group: String, model: String, options: CompletionOptions = CompletionOptions()) {
        self.id = id
        self.group = group
        self.model = model
        self.options = options
    }
}

/// How a router picks among the healthy deployments of a group.
public enum RoutingStrategy: String, Sendable, Codable {
    /// At random.
    case simpleShuffle = "simple-shuffle"
    /// The one with the fewest calls in flight.
    case leastBusy = "least-busy"
    /// The one with the lowest average latency (deployments not measured yet first).
    case lowestLatency = "lowest-latency"
}

/// A router's deployments and policies.
public struct RouterConfiguration: Sendable {
    /// Every deployment, of every group.
    public var deployments: [RouterDeployment]
    /// How to pick a deployment.
    public var strategy: RoutingStrategy
    /// Extra rounds over a group after each of its deployments failed once.
    public var retries: Int
    /// Wait before each extra round.
    public var retryDelay: Duration
    /// Groups to try, in order, when every deployment of a group failed (`["big": ["small"]]`).
    public var fallbacks: [String: [String]]
    /// Consecutive failures after which a deployment cools down.
    public var allowedFailures: Int
    /// How long a failing deployment is left out.
    public var cooldown: Duration

    /// Creates a configuration.
    public init(
        deployments: [RouterDeployment], strategy: RoutingStrategy = .simpleShuffle, retries: Int = 0,
        retryDelay: Duration = .milliseconds(200), fallbacks: [String: [String]] = [:], allowedFailures: Int = 1,
        cooldown: Duration = .seconds(30)
    ) {
        self.deployments = deployments
        self.strategy = strategy
        self.retries = retries
        self.retryDelay = retryDelay
        self.fallbacks = fallbacks
        self.allowedFailures = allowedFailures
        self.cooldown = cooldown
    }
}
