import Catena
import CatenaRedis
import Foundation
import Logging

/// Virtual keys' limits in Redis, shared by every replica that reaches it: each key's requests in flight are a
/// sorted set (a member per request, holding its reserved cost, scored by when its lease ends), its spend a
/// counter, its requests and tokens per minute counters of Redis's own clock. Admission checks and reserves in one
/// Lua script, so two replicas cannot both take the last of a budget; settlement frees the reservation and adds
/// the cost in another.
///
/// Policy while Redis cannot be reached: requests are still served, counted by this replica's own ``KeyLimits``
/// (each replica then enforces the limits alone) against the key's spend in the key store, and a warning is logged.
/// A replica that dies with requests in flight leaves their reservations until their lease ends (ten minutes).
/// The spend counter starts from the key store's and is read from it again every ten minutes, so Redis never
/// drifts from the spend log for long.
final class RedisKeyLimits: UsageLimiter {
    private let redis: RedisClient
    private let fallback: KeyLimits
    private let logger: Logger
    /// How long a request's reservation counts if it is never settled.
    static let lease: Duration = .seconds(600)

    init(redis: RedisClient, fallback: KeyLimits, logger: Logger) {
        self.redis = redis
        self.fallback = fallback
        self.logger = logger
    }

    func admit(_ key: VirtualKey, estimatedCost: Double) async throws(GatewayError) -> Admission {
        let admission = Admission(key: key, estimatedCost: estimatedCost, limiter: self)
        let reply: RESPValue
        do {
            reply = try await redis.send(
                ["EVAL", Self.admitScript, "4"] + Self.keys(of: key) + [
                    Self.member(admission), "\(estimatedCost)", Self.argument(key.rpmLimit), Self.argument(key.tpmLimit),
                    Self.argument(key.maxParallelRequests), Self.argument(key.maxBudget), "\(key.spend)",
                    "\(Self.lease.milliseconds)",
                ])
        } catch {
            logger.warning(
                "Redis is unavailable: this replica counts the key's limits alone", metadata: ["error": "\(error)"])
            return try fallback.admit(key, estimatedCost: estimatedCost)
        }
        let fields = Self.strings(reply)
        switch fields.first {
        case "ok": return admission
        case "max_parallel_requests":
            throw .limited("max_parallel_requests \(key.maxParallelRequests ?? 0) reached: \(fields[safe: 1]) requests in flight")
        case "rpm_limit":
            throw .limited("rpm_limit \(key.rpmLimit ?? 0) reached; the minute ends in \(fields[safe: 2]) s")
        case "tpm_limit":
            throw .limited(
                "tpm_limit \(key.tpmLimit ?? 0) reached (\(fields[safe: 1]) tokens); the minute ends in \(fields[safe: 2]) s")
        case "budget":
            throw .budgetExceeded(
                spent: Double(fields[safe: 1]) ?? 0, reserved: Double(fields[safe: 2]) ?? 0, estimate: estimatedCost,
                budget: key.maxBudget ?? 0)
        default:
            logger.warning("Redis answered the limits script with \(reply): this replica counts the key's limits alone")
            return try fallback.admit(key, estimatedCost: estimatedCost)
        }
    }

    func settle(_ admission: Admission) async {
        let (cost, tokens) = admission.used
        do {
            _ = try await redis.send(
                ["EVAL", Self.settleScript, "4"] + Self.keys(of: admission.key) + [Self.member(admission), "\(cost)", "\(tokens)"])
        } catch {
            logger.warning(
                "Redis is unavailable: a request's reservation stays until its lease ends",
                metadata: ["error": "\(error)", "request": "\(admission.id)"])
        }
    }

    func shutdown() async { await redis.shutdown() }

    /// The key's Redis keys: requests in flight, spend in its budget period, and the prefixes of its per-minute
    /// counters. The `{…}` hash tag keeps them in one slot of a cluster.
    private static func keys(of key: VirtualKey) -> [String] {
        let prefix = "catena:key:{\(key.hash)}:"
        let period = key.budgetResetAt.map { String(Int64(min(max($0.timeIntervalSince1970, -1e15), 1e15))) } ?? "all"
        return [prefix + "in-flight", prefix + "spend:" + period, prefix + "requests:", prefix + "tokens:"]
    }

    private static func member(_ admission: Admission) -> String { "\(admission.id)|\(admission.estimatedCost)" }

    /// A limit as the scripts take it: -1 for none.
    private static func argument(_ limit: (some Numeric & CustomStringConvertible)?) -> String { limit.map(\.description) ?? "-1" }

    private static func strings(_ reply: RESPValue) -> [String] {
        guard case .array(let elements?) = reply else { return [] }
        return elements.map { element in
            if case .bulkString(let bytes?) = element { return String(decoding: bytes, as: UTF8.self) }
            return ""
        }
    }

    /// KEYS: in-flight set, spend, request counter prefix, token counter prefix. ARGV: member, estimate, rpm, tpm,
    /// parallel and budget limits (-1: none), the store's spend, the lease in milliseconds.
    private static let admitScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local minute = math.floor(tonumber(time[1]) / 60)
        local left = tostring(60 - tonumber(time[1]) % 60)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local inflight = redis.call('ZRANGE', KEYS[1], 0, -1)
        local parallel = tonumber(ARGV[5])
        if parallel >= 0 and #inflight >= parallel then return {'max_parallel_requests', tostring(#inflight)} end
        local requests = tonumber(redis.call('GET', KEYS[3] .. minute) or '0')
        local rpm = tonumber(ARGV[3])
        if rpm >= 0 and requests >= rpm then return {'rpm_limit', tostring(requests), left} end
        local tokens = tonumber(redis.call('GET', KEYS[4] .. minute) or '0')
        local tpm = tonumber(ARGV[4])
        if tpm >= 0 and tokens >= tpm then return {'tpm_limit', tostring(tokens), left} end
        redis.call('SET', KEYS[2], ARGV[7], 'NX', 'EX', 600)
        local budget = tonumber(ARGV[6])
        if budget >= 0 then
          local reserved = 0
          for _, member in ipairs(inflight) do reserved = reserved + tonumber(string.match(member, '|(.*)$')) end
          local spent = tonumber(redis.call('GET', KEYS[2]))
          local estimate = tonumber(ARGV[2])
          if spent + reserved >= budget or spent + reserved + estimate > budget then
            return {'budget', tostring(spent), tostring(reserved)}
          end
        end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[8]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[8]))
        redis.call('INCR', KEYS[3] .. minute)
        redis.call('EXPIRE', KEYS[3] .. minute, 120)
        return {'ok'}
        """

    /// KEYS as above. ARGV: member, cost, tokens.
    private static let settleScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        if tonumber(ARGV[2]) > 0 and redis.call('EXISTS', KEYS[2]) == 1 then redis.call('INCRBYFLOAT', KEYS[2], ARGV[2]) end
        if tonumber(ARGV[3]) > 0 then
          local counter = KEYS[4] .. math.floor(tonumber(redis.call('TIME')[1]) / 60)
          redis.call('INCRBY', counter, ARGV[3])
          redis.call('EXPIRE', counter, 120)
        end
        return 1
        """
}

extension Array where Element == String {
    /// The element at `index`, or empty.
    fileprivate subscript(safe index: Int) -> String { indices.contains(index) ? self[index] : "" }
}
