public import Catena
public import Foundation
import GRDB

/// A persistent response cache: one SQLite file (GRDB, WAL mode), shared by the processes that open it.
///
/// ```swift
/// let cache = try SQLiteResponseCache(path: "completions.sqlite", defaultTTL: .seconds(86_400))
/// let llm = CompletionClient(cache: cache)
/// ```
public final class SQLiteResponseCache: ResponseCache {
    /// The time source (seconds since 1970), injectable for tests.
    public typealias Clock = @Sendable () -> Date

    private let database: DatabasePool
    /// The TTL of values stored without one (`nil`: no expiry).
    public let defaultTTL: Duration?
    private let now: Clock

    /// Opens (or creates) the cache at `path`.
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened or is not a database.
    public init(path: String, defaultTTL: Duration? = nil, now: @escaping Clock = { Date() }) throws {
        database = try DatabasePool(path: path)
        self.defaultTTL = defaultTTL
        self.now = now
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS completion_cache (
                        key TEXT PRIMARY KEY NOT NULL,
                        value BLOB NOT NULL,
                        expires_at DOUBLE
                    )
                    """)
        }
    }

    public func value(forKey key: String) async throws -> [UInt8]? {
        let instant = now().timeIntervalSince1970
        let stored = try await database.read { db -> (value: Data, expires: Double?)? in
            let row = try Row.fetchOne(
                db, sql: "SELECT value, expires_at FROM completion_cache WHERE key = ?", arguments: [key])
            return row.map { (value: $0["value"], expires: $0["expires_at"]) }
        }
        guard let stored else { return nil }
        if let expires = stored.expires, expires <= instant {
            try await removeValue(forKey: key)
            return nil
        }
        return Array(stored.value)
    }

    public func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws {
        let expires = (ttl ?? defaultTTL).map { ttl in
            now().timeIntervalSince1970 + Double(ttl.components.seconds) + Double(ttl.components.attoseconds) / 1e18
        }
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO completion_cache (key, value, expires_at) VALUES (?, ?, ?)",
                arguments: [key, Data(value), expires])
        }
    }

    public func removeValue(forKey key: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM completion_cache WHERE key = ?", arguments: [key])
        }
    }

    /// Deletes every expired entry and returns how many there were.
    @discardableResult
    public func removeExpired() async throws -> Int {
        let instant = now().timeIntervalSince1970
        return try await database.write { db in
            try db.execute(
                sql: "DELETE FROM completion_cache WHERE expires_at IS NOT NULL AND expires_at <= ?",
                arguments: [instant])
            return db.changesCount
        }
    }

    /// Entries stored (expired ones included until removed).
    public func count() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM completion_cache") ?? 0 }
    }
}
