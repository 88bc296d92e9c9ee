import Catena
import CatenaOpenAI
import Crypto
import Foundation
import Logging
import HTTPTypes
import Synchronization

/// Who a request comes from.
enum Caller: Sendable {
    /// The master key, or anyone when no master key is configured.
    case master
    /// A virtual key.
    case key(VirtualKey)
}

/// Checks the key a request presents: the master key, or a virtual key from the store. Keys are compared by their
/// SHA-256 digests (in constant time for the master key) and never logged. A virtual key read from the store is
/// reused for at most a second, so a key revoked on one replica stops working on every replica within a second.
/// The spend a key record shows is the store's: the limiters count what this process spent since (``KeyLimits``).
final class KeyAccess: Sendable {
    /// How long a key read from the store is trusted.
    static let freshness: Duration = .seconds(1)
    /// How many keys are remembered before the stale ones are forgotten.
    static let remembered = 10_000

    /// How long a lookup of a key never read here may take on the request path (then 503).
    static let lookupLimit: Duration = .seconds(1)
    /// How long the lookup of a key read earlier may take before that earlier copy is served instead: so a known
    /// key is served within a quarter of a second however the store fails.
    static let revalidationLimit: Duration = .milliseconds(250)
    /// How long an admin route's operation on the store may take.
    static let adminLimit: Duration = .seconds(5)

    private let masterDigest: [UInt8]?
    /// The store as configured.
    let store: (any KeyStore)?
    /// The store for key lookups, bounded by ``lookupLimit``.
    let lookups: BoundedKeyStore?
    /// The store for lookups of keys read earlier, bounded by ``revalidationLimit``.
    let revalidations: BoundedKeyStore?
    /// The store for the admin routes, bounded by ``adminLimit``.
    let adminStore: BoundedKeyStore?
    /// Whether the store is away, shared by both.
    let outage: StoreOutage
    private let recent = Mutex<[String: (key: VirtualKey?, read: ContinuousClock.Instant)]>([:])
    /// When a lookup last went to the store while it was away.
    private let lastProbe = Mutex<ContinuousClock.Instant?>(nil)
    /// Where the time is read.
    let clock: GatewayClock

    init(masterKey: Secret?, store: (any KeyStore)?, clock: GatewayClock, logger: Logger, metrics: GatewayMetrics) {
        self.clock = clock
        masterDigest = masterKey.map { Self.digest(of: $0.value) }
        self.store = store
        let outage = StoreOutage(
            store: "key store",
            policy:
                "keys read before are served from memory; keys never read here are refused (503); spend waits in the queue",
            logger: logger, metrics: metrics)
        self.outage = outage
        lookups = store.map { BoundedKeyStore(store: $0, limit: Self.lookupLimit, outage: outage) }
        revalidations = store.map { BoundedKeyStore(store: $0, limit: Self.revalidationLimit, outage: outage) }
        adminStore = store.map { BoundedKeyStore(store: $0, limit: Self.adminLimit, outage: outage) }
    }

    /// Whether requests need a key at all.
    var requiresKeys: Bool { masterDigest != nil }

    /// The caller presenting `presented`.
    /// - Throws: ``GatewayError`` (401) for a missing, unknown or expired key; 500 when the store fails.
    func caller(presenting presented: String?) async throws(GatewayError) -> Caller {
        guard let masterDigest else { return .master }
        guard let presented, !presented.isEmpty else {
            throw .unauthorized("No API key: send it as 'Authorization: Bearer <key>'")
        }
        let digest = Self.digest(of: presented)
        if Self.sameDigests(digest, masterDigest) { return .master }
        guard let key = try await virtualKey(hash: digest.hexString) else { throw .unauthorized("Invalid API key") }
        if let expires = key.expires, expires <= clock.date() {
            throw .unauthorized("The API key expired at \(ISO8601DateFormatter().string(from: expires))")
        }
        return .key(key)
    }

    /// The key with this digest: the one read within the last second, else the store's (within a second; within a
    /// quarter of a second for a key read before, else that earlier copy). While the store cannot be reached, a key
    /// read from it before is served at once (revoking it needs the store too), and one lookup a second tries the
    /// store again; a key never read here cannot be checked (503).
    private func virtualKey(hash: String) async throws(GatewayError) -> VirtualKey? {
        let now = clock.instant()
        let cached = recent.withLock { $0[hash] }
        if let cached, now - cached.read < Self.freshness { return cached.key }
        guard let store = cached?.key == nil ? lookups : revalidations else { return nil }
        if let known = cached?.key, outage.isDown, !probes(at: now) { return known }
        var key: VirtualKey?
        do {
            key = try await store.key(hash: hash)
            if let current = key, let periodEnd = current.budgetResetAt,
                let next = current.budgetReset(at: clock.date())
            {
                // The budget period ended: one replica starts the next, the others read what it wrote.
                key = try await store.resetBudget(next, periodEnd: periodEnd) ? next : store.key(hash: hash)
            }
        } catch {
            if let known = cached?.key { return known }
            throw error as? GatewayError
                ?? GatewayError(
                    status: .serviceUnavailable, message: "the key store is unavailable: \(error)", type: "api_error",
                    param: nil,
                    code: "key_store_unavailable", retryAfter: 1)
        }
        recent.withLock { recent in
            // Keys presented once (or made up) must not accumulate: past a bound, what is no longer fresh goes.
            if recent.count >= Self.remembered { recent = recent.filter { now - $0.value.read < Self.freshness } }
            recent[hash] = (key, now)
        }
        return key
    }

    /// Whether a lookup at `now` should try the store that is away (once a second).
    private func probes(at now: ContinuousClock.Instant) -> Bool {
        lastProbe.withLock { last in
            guard last.map({ now - $0 >= Self.freshness }) ?? true else { return false }
            last = now
            return true
        }
    }

    /// Forgets what is known of a key (after it was changed or deleted here).
    func forget(_ hash: String) {
        recent.withLock { _ = $0.removeValue(forKey: hash) }
    }

    /// A new key: `sk-` and 32 random bytes in hex.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "sk-" + (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
    }

    /// A key's SHA-256 digest.
    static func digest(of key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }

    /// The hex digest the store files a key under.
    static func hash(of key: String) -> String { digest(of: key).hexString }

    /// Whether two digests are equal, comparing every byte whatever the first difference: the time taken tells
    /// nothing about the key.
    static func sameDigests(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
