/// Where answers are kept, for runnable models (their `cache`) and `completion` alike: a key-value store of bytes
/// with expiry. Catena ships ``InMemoryResponseCache``, `RedisResponseCache` (in `CatenaRedis`, shared between
/// replicas) and `SQLiteResponseCache` (in `CatenaSQLiteCache`, a file).
///
/// A cache that fails (a server gone away) never fails a call: the failure is logged, and the answer comes from
/// the model.
///
/// ```swift
/// let model = ChatVLLM(client: client, model: "local", cache: RedisResponseCache(host: "cache.internal"))
/// ```
public protocol ResponseCache: Sendable {
    /// The stored value, or `nil` when absent or expired.
    func value(forKey key: String) async throws -> [UInt8]?
    /// Stores `value`; it expires after `ttl` (`nil`: the cache's default, or never).
    func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws
    /// Removes the value, if any.
    func removeValue(forKey key: String) async throws
}
