/// Where `completion` keeps answers: a key-value store of bytes with expiry. Catena ships
/// ``InMemoryCompletionCache``, ``RedisCompletionCache`` and (in `CatenaSQLiteCache`) `SQLiteCompletionCache`.
///
/// A cache that fails (a server gone away) makes the call go on without it: the failure is logged and shown in
/// the payload's `cacheError`, and the answer comes from the model.
public protocol CompletionCache: Sendable {
    /// The stored value, or `nil` when absent or expired.
    func value(forKey key: String) async throws -> [UInt8]?
    /// Stores `value`; it expires after `ttl` (`nil`: the cache's default, or never).
    func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws
    /// Removes the value, if any.
    func removeValue(forKey key: String) async throws
}
