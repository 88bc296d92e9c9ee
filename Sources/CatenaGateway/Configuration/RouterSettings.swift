public import CatenaCompletion

extension GatewayConfiguration {
    /// How calls are routed among a model's deployments (`router_settings`).
    public struct RouterSettings: Sendable, Decodable {
        /// How a deployment is picked (`simple-shuffle`, `least-busy`, `lowest-latency`).
        public var routingStrategy: RoutingStrategy
        /// Extra rounds over a model's deployments after each failed once.
        public var numRetries: Int
        /// Models to try, in order, when every deployment of a model failed.
        public var fallbacks: [String: [String]]
        /// Consecutive failures after which a deployment cools down.
        public var allowedFails: Int
        /// How long a failing deployment is left out, in seconds.
        public var cooldownTime: Double
        /// The Redis server whose counters virtual keys' limits and budget reservations share across replicas
        /// (`redis_host`; `nil`: each gateway counts alone, in memory).
        public var redisHost: String?
        /// Its port (`redis_port`).
        public var redisPort: Int
        /// How long a deployment may take to answer, unless its `litellm_params` say otherwise.
        public var timeouts: UpstreamTimeouts

        /// Creates settings: the router's defaults.
        public init(
            routingStrategy: RoutingStrategy = .simpleShuffle, numRetries: Int = 0, fallbacks: [String: [String]] = [:],
            allowedFails: Int = 1, cooldownTime: Double = 30, redisHost: String? = nil, redisPort: Int = 6379,
            timeouts: UpstreamTimeouts = .defaults
        ) {
            self.timeouts = timeouts
            self.redisHost = redisHost
            self.redisPort = redisPort
            self.routingStrategy = routingStrategy
            self.numRetries = numRetries
            self.fallbacks = fallbacks
            self.allowedFails = allowedFails
            self.cooldownTime = cooldownTime
        }

        public init(from decoder: any Decoder) throws {
            let section = try decoder.section(
                [
                    "routing_strategy", "num_retries", "fallbacks", "allowed_fails", "cooldown_time", "redis_host",
                    "redis_port",
                ] + UpstreamTimeouts.names)
            let defaults = RouterSettings()
            routingStrategy = try section.optional("routing_strategy") ?? defaults.routingStrategy
            numRetries = try section.optional("num_retries") ?? defaults.numRetries
            // LiteLLM writes fallbacks as a list of one-entry maps: `[{big: [small]}, {small: [tiny]}]`.
            let entries = try section.optional("fallbacks", as: [[String: [String]]].self) ?? []
            fallbacks = entries.reduce(into: [:]) { merged, entry in merged.merge(entry) { _, later in later } }
            allowedFails = try section.optional("allowed_fails") ?? defaults.allowedFails
            cooldownTime = try section.seconds("cooldown_time") ?? defaults.cooldownTime
            redisHost = try section.optional("redis_host")
            redisPort = try section.optional("redis_port") ?? defaults.redisPort
            timeouts = try UpstreamTimeouts(section: section).or(UpstreamTimeouts.defaults)
        }
    }
}
