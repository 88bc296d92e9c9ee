import Synchronization

/// A bounded in-memory cache: at most `capacity` entries, the least recently used evicted first, each entry
/// expiring after its TTL. The clock is injectable for tests.
public final class InMemoryCompletionCache: CompletionCache {
    /// The time source.
    public typealias Clock = @Sendable () -> ContinuousClock.Instant

    private struct Entry {
        var value: [UInt8]
        var expires: ContinuousClock.Instant?
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var tick: UInt64 = 0
    }

    /// The most entries kept.
    public let capacity: Int
    /// The TTL of values stored without one (`nil`: no expiry).
    public let defaultTTL: Duration?
    private let now: Clock
    private let state = Mutex(State())

    /// Creates a cache.
    public init(capacity: Int = 1_000, defaultTTL: Duration? = nil, now: @escaping Clock = { ContinuousClock.now }) {
        precondition(capacity > 0, "an in-memory cache needs room for at least one entry")
        self.capacity = capacity
        self.defaultTTL = defaultTTL
        self.now = now
    }

    /// Entries held (expired ones included until they are looked up or evicted).
    public var count: Int { state.withLock { $0.entries.count } }

    public func value(forKey key: String) async throws -> [UInt8]? {
        let instant = now()
        return state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            if let expires = entry.expires, expires <= instant {
                state.entries[key] = nil
                return nil
            }
            state.tick += 1
            entry.lastUse = state.tick
            state.entries[key] = entry
            return entry.value
        }
    }

    public func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws {
        let expires = (ttl ?? defaultTTL).map { now() + $0 }
        state.withLock { state in
            state.tick += 1
            state.entries[key] = Entry(value: value, expires: expires, lastUse: state.tick)
            if state.entries.count > capacity { evict(&state) }
        }
    }

    public func removeValue(forKey key: String) async throws {
        _ = state.withLock { $0.entries.removeValue(forKey: key) }
    }

    /// Drops the least recently used tenth of the entries (at least one), so eviction costs O(log n) per insert
    /// on average instead of a scan each time.
    private func evict(_ state: inout State) {
        let excess = state.entries.count - capacity
        let drop = max(excess, capacity / 10, 1)
        let oldest = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(drop)
        for (key, _) in oldest { state.entries[key] = nil }
    }
}
