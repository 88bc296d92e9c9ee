import Catena
import CatenaGateway
import CatenaTestingServer
import Foundation
import Synchronization
import Testing

/// The key store going away mid-run: requests of keys already checked keep being served, their spend waits and is
/// written, in order, when the store returns; nothing is lost. A key never checked here gets a clear 503.
@Suite(.timeLimit(.minutes(1)))
struct StoreOutageTests {
    /// An SQLite store that can be switched off: while off, every operation fails. It notes the size of each batch
    /// of spend log entries written.
    final class SwitchableStore: KeyStore {
        let store: SQLiteKeyStore
        let down = Mutex(false)
        let batches = Mutex<[Int]>([])
        struct Down: Error {}

        init() throws {
            store = try SQLiteKeyStore(
                path: FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).sqlite")
                    .path)
        }

        private func check() throws { if down.withLock({ $0 }) { throw Down() } }
        func insert(_ key: VirtualKey) async throws { try check(); try await store.insert(key) }
        func key(hash: String) async throws -> VirtualKey? { try check(); return try await store.key(hash: hash) }
        func update(_ key: VirtualKey) async throws -> Bool { try check(); return try await store.update(key) }
        func resetBudget(_ key: VirtualKey, periodEnd: Date) async throws -> Bool {
            try check()
            return try await store.resetBudget(key, periodEnd: periodEnd)
        }
        func delete(hashes: [String]) async throws -> [String] {
            try check(); return try await store.delete(hashes: hashes)
        }
        func record(_ entries: [SpendLogEntry]) async throws {
            try check()
            try await store.record(entries)
            batches.withLock { $0.append(entries.count) }
        }
        func spendLogs(keyHash: String, limit: Int) async throws -> [SpendLogEntry] {
            try check()
            return try await store.spendLogs(keyHash: keyHash, limit: limit)
        }
        func dailySpend(keyHash: String, from firstDay: String, through lastDay: String) async throws -> [DailySpend] {
            try check()
            return try await store.dailySpend(keyHash: keyHash, from: firstDay, through: lastDay)
        }
        func pruneSpendLogs(before date: Date) async throws -> Int {
            try check(); return try await store.pruneSpendLogs(before: date)
        }
    }

    @Test func spendWaitsForTheStoreAndNothingIsLost() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let store = try SwitchableStore()
        try await RunningGateway.with(VirtualKeyTests.configuration(upstream: upstream.baseURL), keyStore: store) {
            gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            let unused = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            #expect(try await gateway.send("/v1/chat/completions", body: VirtualKeyTests.hi, key: key).status == 200)
            // Its spend is written before the outage (the spend log waits for what is pending).
            #expect(try await gateway.send("/spend/logs?api_key=\(key)").json.arrayValue?.count == 1)

            store.down.withLock { $0 = true }
            // The key was checked before: its requests are served, however long the outage; their spend waits.
            for _ in 0..<3 {
                #expect(
                    try await gateway.send("/v1/chat/completions", body: VirtualKeyTests.hi, key: key).status == 200)
                try await Task.sleep(for: .milliseconds(400))
            }
            // A key the gateway never checked cannot be: a clear 503, not a wrong answer.
            let unchecked = try await gateway.send("/v1/models", key: unused)
            #expect(unchecked.status == 503)
            #expect(unchecked.json["error"]?["code"] == "key_store_unavailable")
            // What waits shows in the metrics.
            #expect(try await gateway.send("/metrics", key: nil).text.contains("catena_gateway_spend_queue_depth 3"))

            store.down.withLock { $0 = false }
            let logs = try await gateway.send("/spend/logs?api_key=\(key)")  // waits for the pending spend
            #expect(logs.json.arrayValue?.count == 4)
            let info = try await gateway.send("/key/info?key=\(key)")
            #expect(abs((info.json["info"]?["spend"]?.doubleValue ?? 0) - 0.000036) < 1e-12)
            #expect(try await gateway.send("/metrics", key: nil).text.contains("catena_gateway_spend_queue_depth 0"))
        }
        try await upstream.shutdown()
    }
}
