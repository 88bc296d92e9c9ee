public import Catena
import Logging

/// A cache shared by every process that reaches the same Redis server (Debian's `redis-server`).
///
/// Values live under `keyPrefix` with Redis's own expiry (`SET … PX`). The connection is opened on first use
/// and opened again after it breaks; while Redis is away, calls fail fast (after `commandTimeout` at most) and
/// the call goes on without the cache.
public final class RedisResponseCache: ResponseCache {
    /// The server's host.
    public let host: String
    /// The server's port.
    public let port: Int
    /// Prepended to every key.
    public let keyPrefix: String
    /// The TTL of values stored without one (`nil`: no expiry).
    public let defaultTTL: Duration?
    /// Longest wait for a connection or a reply.
    public let commandTimeout: Duration
    private let redis: RedisClient

    /// Creates a cache for the Redis server at `host:port`; nothing connects until the first command.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, keyPrefix: String = "catena:completion:",
        defaultTTL: Duration? = nil, commandTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.keyPrefix = keyPrefix
        self.defaultTTL = defaultTTL
        self.commandTimeout = commandTimeout
        redis = RedisClient(host: host, port: port, commandTimeout: commandTimeout)
    }

    public func value(forKey key: String) async throws -> [UInt8]? {
        switch try await redis.send(["GET", keyPrefix + key]) {
        case .bulkString(let bytes): return bytes
        case let other: throw RedisError.protocolViolation("GET answered \(other)")
        }
    }

    public func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws {
        var arguments: [[UInt8]] = [Array("SET".utf8), Array((keyPrefix + key).utf8), value]
        if let ttl = ttl ?? defaultTTL {
            let milliseconds = max(1, ttl.milliseconds)
            arguments += [Array("PX".utf8), Array(String(milliseconds).utf8)]
        }
        _ = try await redis.send(arguments)
    }

    public func removeValue(forKey key: String) async throws {
        _ = try await redis.send(["DEL", keyPrefix + key])
    }

    /// Checks that the server answers `PING`.
    public func ping() async throws {
        _ = try await redis.send(["PING"])
    }

    /// Closes the connection.
    public func shutdown() async {
        await redis.shutdown()
    }
}
