import Catena
import HTTPTypes
import Foundation

/// A key store as the request path and the admin routes use it: each operation answers within `limit` or fails,
/// and a failure is a 503 in the API's shape (`key_store_unavailable`), so a database outage degrades within
/// seconds instead of holding requests for as long as it lasts. An outage is logged once, then every minute.
struct BoundedKeyStore: KeyStore {
    let store: any KeyStore
    /// The longest an operation may take.
    let limit: Duration
    let outage: StoreOutage

    private func bounded<T: Sendable>(_ operation: @escaping @Sendable (any KeyStore) async throws -> T) async throws
        -> T
    {
        let store = store
        do {
            let result = try await withDeadline(limit) { try await operation(store) }
            outage.succeeded()
            return result
        } catch {
            if error is CancellationError { throw error }
            outage.failed(error)
            throw GatewayError(
                status: .serviceUnavailable, message: "the key store is unavailable: \(error)", type: "api_error",
                param: nil,
                code: "key_store_unavailable", retryAfter: 1)
        }
    }

    func insert(_ key: VirtualKey) async throws { try await bounded { try await $0.insert(key) } }
    func key(hash: String) async throws -> VirtualKey? { try await bounded { try await $0.key(hash: hash) } }
    func update(_ key: VirtualKey) async throws -> Bool { try await bounded { try await $0.update(key) } }
    func resetBudget(_ key: VirtualKey, periodEnd: Date) async throws -> Bool {
        try await bounded { try await $0.resetBudget(key, periodEnd: periodEnd) }
    }
    func delete(hashes: [String]) async throws -> [String] { try await bounded { try await $0.delete(hashes: hashes) } }
    func record(_ entries: [SpendLogEntry]) async throws { try await bounded { try await $0.record(entries) } }
    func spendLogs(keyHash: String, limit: Int) async throws -> [SpendLogEntry] {
        try await bounded { try await $0.spendLogs(keyHash: keyHash, limit: limit) }
    }
    func dailySpend(keyHash: String, from firstDay: String, through lastDay: String) async throws -> [DailySpend] {
        try await bounded { try await $0.dailySpend(keyHash: keyHash, from: firstDay, through: lastDay) }
    }
    func pruneSpendLogs(before date: Date) async throws -> Int {
        try await bounded { try await $0.pruneSpendLogs(before: date) }
    }
}
