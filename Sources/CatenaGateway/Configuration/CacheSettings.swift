extension GatewayConfiguration {
    /// The response cache (`litellm_settings`: `cache` and `cache_params`).
    public struct CacheSettings: Sendable, Decodable {
        /// Where answers are cached.
        public enum Store: Sendable, Equatable {
            /// In this process's memory (`type: local`).
            case memory
            /// In an SQLite file (`type: disk`, `disk_cache_dir` names the folder).
            case sqlite(path: String)
            /// In Redis, shared between replicas (`type: redis`, `host`, `port`).
            case redis(host: String, port: Int)
        }

        /// The cache, `nil` when caching is off (the default).
        public var store: Store?
        /// How long an answer stays cached, in seconds (`nil`: no expiry).
        public var ttl: Double?

        /// Creates settings.
        public init(store: Store? = nil, ttl: Double? = nil) {
            self.store = store
            self.ttl = ttl
        }

        public init(from decoder: any Decoder) throws {
            let section = try decoder.section(["cache", "cache_params"])
            guard try section.optional("cache", as: Bool.self) == true else {
                self.init()
                return
            }
            let parameters = try section.optional("cache_params", as: Parameters.self) ?? Parameters()
            self.init(store: try parameters.store(), ttl: parameters.ttl)
        }

        /// The `cache_params` section.
        private struct Parameters: Decodable {
            var type = "local"
            var host = "127.0.0.1"
            var port = 6379
            var directory: String?
            var ttl: Double?
            var path: [any CodingKey] = []

            init() {}

            init(from decoder: any Decoder) throws {
                let section = try decoder.section(["type", "host", "port", "disk_cache_dir", "ttl"])
                type = try section.optional("type") ?? type
                host = try section.optional("host") ?? host
                port = try section.optional("port") ?? port
                directory = try section.optional("disk_cache_dir")
                ttl = try section.seconds("ttl")
                path = section.codingPath + [ConfigKey("type")]
            }

            func store() throws -> Store {
                switch type {
                case "local": return .memory
                case "redis": return .redis(host: host, port: port)
                case "disk": return .sqlite(path: (directory ?? ".") + "/catena-gateway-cache.sqlite")
                default:
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: path, debugDescription: "unknown cache type '\(type)'; use local, disk or redis"
                        ))
                }
            }
        }
    }
}
