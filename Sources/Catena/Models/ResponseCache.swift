import Synchronization

/// Stores model responses by prompt and model settings. A model with a cache answers a repeated call from it,
/// without calling the model or the rate limiter.
///
/// Lookups and updates may fail (a remote cache going away); the framework logs such failures and calls the
/// model, so a cache never fails a call.
public protocol ResponseCache: Sendable {
    /// The cached generations for `prompt` under `modelKey`, or `nil`.
    func lookup(prompt: String, modelKey: String) async throws -> [Generation]?
    /// Stores `generations` for `prompt` under `modelKey`.
    func update(prompt: String, modelKey: String, generations: [Generation]) async throws
    /// Removes every entry.
    func clear() async throws
}

/// A bounded in-memory cache that evicts the least recently used entry.
public final class InMemoryResponseCache: ResponseCache {
    private struct Key: Hashable {
        let prompt: String
        let modelKey: String
    }

    /// The most entries kept.
    public let maxEntries: Int
    private let entries: Mutex<LeastRecentlyUsed<Key, [Generation]>>

    /// Creates a cache holding at most `maxEntries` entries.
    public init(maxEntries: Int = 1000) {
        self.maxEntries = max(1, maxEntries)
        entries = Mutex(LeastRecentlyUsed(capacity: maxEntries))
    }

    /// The number of entries.
    public var count: Int { entries.withLock { $0.count } }

    public func lookup(prompt: String, modelKey: String) -> [Generation]? {
        entries.withLock { $0.value(for: Key(prompt: prompt, modelKey: modelKey)) }
    }

    public func update(prompt: String, modelKey: String, generations: [Generation]) {
        entries.withLock { $0.set(generations, for: Key(prompt: prompt, modelKey: modelKey)) }
    }

    public func clear() {
        entries.withLock { $0.removeAll() }
    }
}
