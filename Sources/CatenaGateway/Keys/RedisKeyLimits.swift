import Catena
import CatenaRedis
import Foundation
import Logging

/// Virtual keys' limits in Redis, shared by every replica that reaches it: each key's requests in flight are a
/// sorted set (a member per request, holding its reserved cost, scored by when its lease ends), its spend a
/// counter in nanodollars (exact integers, however many requests add to it), its requests and tokens per minute
/// counters of Redis's own clock. Admission checks and reserves (cost, and tokens against `tpm_limit`) in one Lua
/// script, so two replicas cannot both take the last of a budget; settlement frees the reservations and adds the
/// real cost and tokens in another.
///
/// A request's reservation is leased for 30 s and renewed every 10 s while it runs, so the reservations of a
/// replica that died heal within 30 s. The spend counter starts from the key store's and is read from it again
/// every ten minutes, so Redis never drifts from the spend log for long.
///
/// Policy while Redis cannot be reached (``StoreOutage`` logs it once, then every minute): requests are counted by
/// this replica alone (``KeyLimits``: each replica then enforces the limits and budget on its own count), or, with
/// `fail_closed_budget_enforcement`, requests of keys with a budget are refused (503) since their spend cannot be
/// checked.
final class RedisKeyLimits: UsageLimiter {
    private let redis: RedisClient
    private let fallback: KeyLimits
    private let failClosed: Bool
    private let outage: StoreOutage
    /// How long a request's reservation counts unless it is renewed.
    static let lease: Duration = .seconds(30)

    init(redis: RedisClient, fallback: KeyLimits, failClosed: Bool, logger: Logger, metrics: GatewayMetrics) {
        self.redis = redis
        self.fallback = fallback
        self.failClosed = failClosed
        outage = StoreOutage(
            store: "redis",
            policy: failClosed
                ? "requests of keys with a budget are refused (fail_closed_budget_enforcement); the others are counted by this replica alone"
                : "this replica counts the keys' limits and budgets alone",
            logger: logger, metrics: metrics)
    }

    func admit(_ key: VirtualKey, estimate: CostEstimate) async throws(GatewayError) -> Admission {
        let id = UUID().uuidString
        let member = Self.member(id: id, cost: estimate.cost)
        let reply: RESPValue
        do {
            reply = try await redis.send(
                ["EVAL", Self.admitScript, "4"] + Self.keys(of: key) + [
                    member, String(Nanodollars(estimate.cost).value), Self.argument(key.rpmLimit),
                    Self.argument(key.tpmLimit),
                    Self.argument(key.maxParallelRequests), Self.argument(key.maxBudget.map { Nanodollars($0).value }),
                    String(Nanodollars(key.spend).value), "\(Self.lease.milliseconds)", "\(estimate.tokens)",
                ])
        } catch {
            return try fallBack(key, estimate: estimate, error: error)
        }
        outage.succeeded()
        let fields = Self.strings(reply)
        switch fields.first {
        case "ok":
            return Admission(
                key: key, id: id, estimate: estimate, limiter: self, minute: Int64(fields[safe: 1]) ?? 0,
                renewal: renewal(of: member, in: Self.keys(of: key)[0]))
        case "max_parallel_requests":
            throw .limited(
                "max_parallel_requests \(key.maxParallelRequests ?? 0) reached: \(fields[safe: 1]) requests in flight",
                retryAfter: 1)
        case "rpm_limit":
            throw .limited(
                "rpm_limit \(key.rpmLimit ?? 0) reached; the minute ends in \(fields[safe: 2]) s",
                retryAfter: Int(fields[safe: 2]))
        case "tpm_limit":
            throw .limited(
                "tpm_limit \(key.tpmLimit ?? 0) reached (\(fields[safe: 1]) tokens used or reserved, this request may use "
                    + "\(estimate.tokens)); the minute ends in \(fields[safe: 2]) s", retryAfter: Int(fields[safe: 2]))
        case "budget":
            throw .budgetExceeded(
                spent: Nanodollars(text: fields[safe: 1]).dollars, reserved: Nanodollars(text: fields[safe: 2]).dollars,
                estimate: estimate.cost, budget: key.maxBudget ?? 0)
        default:
            return try fallBack(key, estimate: estimate, error: RedisUnexpectedReply(reply: "\(reply)"))
        }
    }

    /// Admits `key` while Redis is away, as the policy says.
    private func fallBack(_ key: VirtualKey, estimate: CostEstimate, error: any Error) throws(GatewayError) -> Admission
    {
        outage.failed(error)
        if failClosed, key.maxBudget != nil { throw .budgetUnverifiable("Redis, which counts it, is unavailable") }
        return try fallback.admit(key, estimate: estimate)
    }

    /// Renews the lease of `member` in the set `inFlight` every third of a lease until cancelled.
    private func renewal(of member: String, in inFlight: String) -> Task<Void, Never> {
        Task { [redis] in
            while true {
                do { try await Task.sleep(for: Self.lease / 3) } catch { return }
                _ = try? await redis.send([
                    "EVAL", Self.renewScript, "1", inFlight, member, "\(Self.lease.milliseconds)",
                ])
            }
        }
    }

    func settle(_ admission: Admission) async {
        let (cost, tokens) = admission.used
        do {
            _ = try await redis.send(
                ["EVAL", Self.settleScript, "4"] + Self.keys(of: admission.key) + [
                    Self.member(id: admission.id, cost: admission.estimatedCost), String(Nanodollars(cost).value),
                    "\(tokens)",
                    "\(admission.estimatedTokens)", "\(admission.minute)",
                ])
            outage.succeeded()
        } catch {
            // Its reservation ends with its lease, within 30 s.
            outage.failed(error)
        }
    }

    func shutdown() async { await redis.shutdown() }

    func storeState() async -> StoreState? {
        do {
            _ = try await redis.send(["PING"])
            outage.succeeded()
            return .connected
        } catch {
            outage.failed(error)
            return .unavailable("\(error)", required: failClosed)
        }
    }

    /// The key's Redis keys: requests in flight, spend in its budget period, and the prefixes of its per-minute
    /// counters. The `{…}` hash tag keeps them in one slot of a cluster.
    private static func keys(of key: VirtualKey) -> [String] {
        let prefix = "catena:key:{\(key.hash)}:"
        let period = key.budgetResetAt.map { String(Int64(min(max($0.timeIntervalSince1970, -1e15), 1e15))) } ?? "all"
        return [prefix + "in-flight", prefix + "spend-nanodollars:" + period, prefix + "requests:", prefix + "tokens:"]
    }

    private static func member(id: String, cost: Double) -> String { "\(id)|\(Nanodollars(cost).value)" }

    /// A limit as the scripts take it: -1 for none.
    private static func argument(_ limit: (some Numeric & CustomStringConvertible)?) -> String {
        limit.map(\.description) ?? "-1"
    }

    private static func strings(_ reply: RESPValue) -> [String] {
        guard case .array(let elements?) = reply else { return [] }
        return elements.map { element in
            if case .bulkString(let bytes?) = element { return String(decoding: bytes, as: UTF8.self) }
            return ""
        }
    }

    /// KEYS: in-flight set, spend, request counter prefix, token counter prefix. ARGV: member, estimated cost, rpm,
    /// tpm, parallel and budget limits (-1: none; money in nanodollars), the store's spend, the lease in
    /// milliseconds, estimated tokens. Answers `ok` and the minute the tokens were reserved in, or the limit reached.
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
        local estimatedTokens = tonumber(ARGV[9])
        if tpm >= 0 and tokens + estimatedTokens > tpm then return {'tpm_limit', tostring(tokens), left} end
        redis.call('SET', KEYS[2], ARGV[7], 'NX', 'EX', 600)
        local budget = tonumber(ARGV[6])
        if budget >= 0 then
          local reserved = 0
          for _, member in ipairs(inflight) do reserved = reserved + tonumber(string.match(member, '|(.*)$')) end
          local spent = tonumber(redis.call('GET', KEYS[2]))
          local estimate = tonumber(ARGV[2])
          if spent + reserved >= budget or spent + reserved + estimate > budget then
            return {'budget', string.format('%d', spent), string.format('%d', reserved)}
          end
        end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[8]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[8]))
        redis.call('INCR', KEYS[3] .. minute)
        redis.call('EXPIRE', KEYS[3] .. minute, 120)
        if estimatedTokens > 0 then
          redis.call('INCRBY', KEYS[4] .. minute, estimatedTokens)
          redis.call('EXPIRE', KEYS[4] .. minute, 120)
        end
        return {'ok', tostring(minute)}
        """

    /// KEYS: the in-flight set. ARGV: member, lease in milliseconds. Moves the member's lease on, if it is still there.
    private static let renewScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) == 1 then
          redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
        end
        return 1
        """

    /// KEYS as the admission's. ARGV: member, cost in nanodollars, tokens, reserved tokens, the minute they were
    /// reserved in.
    private static let settleScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        if tonumber(ARGV[2]) > 0 and redis.call('EXISTS', KEYS[2]) == 1 then redis.call('INCRBY', KEYS[2], ARGV[2]) end
        if tonumber(ARGV[3]) > 0 then
          local counter = KEYS[4] .. math.floor(tonumber(redis.call('TIME')[1]) / 60)
          redis.call('INCRBY', counter, ARGV[3])
          redis.call('EXPIRE', counter, 120)
        end
        local reservation = KEYS[4] .. ARGV[5]
        if tonumber(ARGV[4]) > 0 and redis.call('EXISTS', reservation) == 1 then
          redis.call('DECRBY', reservation, ARGV[4])
        end
        return 1
        """
}

/// Redis answered the limits script with something it never sends.
private struct RedisUnexpectedReply: Error, CustomStringConvertible {
    let reply: String
    var description: String { "Redis answered the limits script with \(reply)" }
}

extension Array where Element == String {
    /// The element at `index`, or empty.
    fileprivate subscript(safe index: Int) -> String { indices.contains(index) ? self[index] : "" }
}
