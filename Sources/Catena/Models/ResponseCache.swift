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

    private struct State {
        var entries: [Key: (generations: [Generation], lastUse: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    /// The most entries kept.
    public let maxEntries: Int
    private let state = Mutex(State())

    /// Creates a cache holding at most `maxEntries` entries.
    public init(maxEntries: Int = 1000) {
        self.maxEntries = max(1, maxEntries)
    }

    /// The number of entries.
    public var count: Int { state.withLock { $0.entries.count } }

    public func lookup(prompt: String, modelKey: String) -> [Generation]? {
        state.withLock { state in
            let key = Key(prompt: prompt, modelKey: modelKey)
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key] = (entry.generations, state.clock)
            return entry.generations
        }
    }

    public func update(prompt: String, modelKey: String, generations: [Generation]) {
        state.withLock { state in
            state.clock += 1
            state.entries[Key(prompt: prompt, modelKey: modelKey)] = (generations, state.clock)
            if state.entries.count > maxEntries,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                state.entries[oldest] = nil
            }
        }
    }

    public func clear() {
        state.withLock { $0 = State() }
    }
}
