/// Entries by key, at most `capacity` of them: storing one more evicts the least recently used. The bookkeeping
/// behind Catena's in-memory caches (this package only; callers add their own lock).
package struct LeastRecentlyUsed<Key: Hashable, Value> {
    private var entries: [Key: (value: Value, lastUse: UInt64)] = [:]
    private var tick: UInt64 = 0
    /// The most entries kept.
    package let capacity: Int

    /// An empty store for at most `capacity` entries (at least one).
    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Entries held.
    package var count: Int { entries.count }

    /// The value for `key`, which counts as a use.
    package mutating func value(for key: Key) -> Value? {
        guard let entry = entries[key] else { return nil }
        tick += 1
        entries[key] = (entry.value, tick)
        return entry.value
    }

    /// Stores `value` for `key`, evicting the least recently used entry when over capacity.
    package mutating func set(_ value: Value, for key: Key) {
        tick += 1
        entries[key] = (value, tick)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
    }

    /// Removes the entry for `key`.
    package mutating func removeValue(for key: Key) {
        entries[key] = nil
    }

    /// Removes every entry.
    package mutating func removeAll() {
        entries = [:]
    }
}
