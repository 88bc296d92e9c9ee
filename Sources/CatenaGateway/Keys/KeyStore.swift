public import Foundation

/// Where virtual keys and the spend log live: SQLite embedded in one instance (``SQLiteKeyStore``), a database
/// shared by the replicas when scaled out.
public protocol KeyStore: Sendable {
    /// Stores a new key.
    func insert(_ key: VirtualKey) async throws
    /// The key with this digest, if any.
    func key(hash: String) async throws -> VirtualKey?
    /// Replaces a key's settings (not its spend, which only ``record(_:)`` changes); `false` when there is no such key.
    func update(_ key: VirtualKey) async throws -> Bool
    /// Starts `key`'s next budget period (``VirtualKey/budgetReset(at:)``: its spend and reset time) if its current
    /// period still ends at `periodEnd`: when replicas race, one resets. Returns whether this call did.
    func resetBudget(_ key: VirtualKey, periodEnd: Date) async throws -> Bool
    /// Deletes keys; returns the digests that existed.
    func delete(hashes: [String]) async throws -> [String]
    /// Adds spend log entries, their spend to their keys and to their days' totals (``DailySpend``), in one
    /// transaction; money is summed exactly (integer nanodollars).
    func record(_ entries: [SpendLogEntry]) async throws
    /// The spend log of a key, newest first, at most `limit` entries.
    func spendLogs(keyHash: String, limit: Int) async throws -> [SpendLogEntry]
    /// A key's daily totals from `firstDay` through `lastDay` (`YYYY-MM-DD`, UTC), oldest first: kept when the
    /// entries they sum are deleted.
    func dailySpend(keyHash: String, from firstDay: String, through lastDay: String) async throws -> [DailySpend]
    /// Deletes the spend log entries that started before `date` (their daily totals stay); returns how many.
    func pruneSpendLogs(before date: Date) async throws -> Int
}
