import Synchronization

/// A bounded in-memory cache: at most `capacity` entries, the least recently used evicted first, each entry
/// expiring after its TTL. The clock is injectable for tests.
///
/// ```swift
/// let model = ChatVLLM(client: client, model: "local", cache: InMemoryResponseCache(capacity: 100))
/// ```
public final class InMemoryResponseCache: ResponseCache {
    /// The time source.
    public typealias Clock = @Sendable () -> ContinuousClock.Instant

    private struct Entry {
        var value: [UInt8]
        var expires: ContinuousClock.Instant?
    }

    /// The most entries kept.
    public let capacity: Int
    /// The TTL of values stored without one (`nil`: no expiry).
    public let defaultTTL: Duration?
    private let now: Clock
    private let entries: Mutex<LeastRecentlyUsed<String, Entry>>

    /// Creates a cache.
    public init(capacity: Int = 1_000, defaultTTL: Duration? = nil, now: @escaping Clock = { ContinuousClock.now }) {
        precondition(capacity > 0, "an in-memory cache needs room for at least one entry")
        self.capacity = capacity
        self.defaultTTL = defaultTTL
        self.now = now
        entries = Mutex(LeastRecentlyUsed(capacity: capacity))
    }

    /// Entries held (expired ones included until they are looked up or evicted).
    public var count: Int { entries.withLock { $0.count } }

    public func value(forKey key: String) async throws -> [UInt8]? {
        let instant = now()
        return entries.withLock { entries in
            guard let entry = entries.value(for: key) else { return nil }
            if let expires = entry.expires, expires <= instant {
                entries.removeValue(for: key)
                return nil
            }
            return entry.value
        }
    }

    public func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws {
        let expires = (ttl ?? defaultTTL).map { now() + $0 }
        entries.withLock { $0.set(Entry(value: value, expires: expires), for: key) }
    }

    public func removeValue(forKey key: String) async throws {
        entries.withLock { $0.removeValue(for: key) }
    }
}
