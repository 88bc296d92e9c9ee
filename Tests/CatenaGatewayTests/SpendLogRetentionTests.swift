import Catena
@testable import CatenaGateway
import CatenaTestingServer
import Foundation
import GRDB
import Logging
import Testing

/// Money summed exactly in both stores, spend log entries deleted past the retention period while each day's
/// totals stay, and an SQLite file that stops growing once the retention period is crossed.
@Suite(.timeLimit(.minutes(2)))
struct SpendLogRetentionTests {
    static let stores = KeyStoreTests.Kind.allCases.filter { $0 == .sqlite || KeyStoreTests.postgresURL != nil }
    static let day: TimeInterval = 86_400

    /// `count` entries of `key` costing `spend` each, starting at `start`, one every `spacing` seconds.
    static func entries(key: String, count: Int, spend: Double, start: Date, spacing: TimeInterval) -> [SpendLogEntry] {
        (0..<count).map { index in
            let time = start.addingTimeInterval(Double(index) * spacing)
            return SpendLogEntry(
                requestID: UUID().uuidString, keyHash: key, teamID: nil, model: index.isMultiple(of: 2) ? "a" : "b",
                promptTokens: 5, completionTokens: 2, spend: spend, startTime: time, endTime: time)
        }
    }

    @Test(arguments: stores)
    func tenThousandSmallCostsAddUpExactly(kind: KeyStoreTests.Kind) async throws {
        try await KeyStoreTests.withStore(kind) { store in
            let key = UUID().uuidString
            try await store.insert(VirtualKey(hash: key))
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let all = Self.entries(key: key, count: 10_000, spend: 0.0011, start: start, spacing: 1)
            for batch in stride(from: 0, to: all.count, by: 1_000) {
                try await store.record(Array(all[batch..<batch + 1_000]))
            }
            // As Doubles the sum would be 10.999999999998487.
            #expect(try await store.key(hash: key)?.spend == 11)
            let days = try await store.dailySpend(keyHash: key, from: "2027-01-15", through: "2027-01-15")
            #expect(days.map(\.requests).reduce(0, +) == 10_000)
            #expect(days.map { Nanodollars($0.spend) }.reduce(Nanodollars(value: 0), +) == Nanodollars(11))
            #expect(Set(days.map(\.model)) == ["a", "b"])
        }
    }

    @Test(arguments: stores)
    func pruningDeletesOldEntriesAndKeepsTheirDays(kind: KeyStoreTests.Kind) async throws {
        try await KeyStoreTests.withStore(kind) { store in
            let key = UUID().uuidString
            try await store.insert(VirtualKey(hash: key))
            // Long ago: pruning deletes every key's old entries, and other tests share the PostgreSQL database.
            let now = Date(timeIntervalSince1970: 1_000_000_000)
            // Ten days, ten calls a day, the last day ending now.
            try await store.record(
                Self.entries(
                    key: key, count: 100, spend: 0.5, start: now.addingTimeInterval(-10 * Self.day),
                    spacing: Self.day / 10))
            let retention = SpendLogRetention(
                store: store, period: 7 * Self.day, interval: .seconds(3_600), logger: Logger(label: "test"))
            #expect(await retention.prune(now: now) == 30)
            #expect(await retention.prune(now: now) == 0)
            let kept = try await store.spendLogs(keyHash: key, limit: 1_000)
            #expect(kept.count == 70)
            #expect(kept.allSatisfy { entry in entry.startTime >= now.addingTimeInterval(-7 * Self.day) })
            let days = try await store.dailySpend(keyHash: key, from: "2000-01-01", through: "2100-01-01")
            #expect(days.map(\.requests).reduce(0, +) == 100)
            #expect(days.map(\.spend).reduce(0, +) == 50)
            #expect(try await store.key(hash: key)?.spend == 50)
        }
    }

    @Test func theSQLiteFileStopsGrowingOnceTheRetentionPeriodIsCrossed() async throws {
        let path = GatewayServerTests.temporaryDatabase()
        let store = try SQLiteKeyStore(path: path)
        let key = UUID().uuidString
        try await store.insert(VirtualKey(hash: key))
        let retention = SpendLogRetention(
            store: store, period: 5 * Self.day, interval: .seconds(3_600), logger: Logger(label: "test"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var sizes: [Int] = []
        // 30 days of 2,000 calls each, pruned at the end of every day.
        for day in 0..<30 {
            let dayStart = start.addingTimeInterval(Double(day) * Self.day)
            try await store.record(
                Self.entries(key: key, count: 2_000, spend: 0.001, start: dayStart, spacing: Self.day / 2_000))
            await retention.prune(now: dayStart.addingTimeInterval(Self.day))
            sizes.append(Self.fileSize(path))
        }
        // Past the retention period the deleted rows' pages are used again: the file does not grow on.
        #expect(sizes[29] <= sizes[9] + sizes[9] / 10, "\(sizes)")
        #expect(try await store.spendLogs(keyHash: key, limit: 100_000).count == 10_000)
        #expect(try await store.key(hash: key)?.spend == 60)
        let days = try await store.dailySpend(keyHash: key, from: "2000-01-01", through: "2100-01-01")
        #expect(days.map(\.requests).reduce(0, +) == 60_000)
        print(
            "spend log file over 30 days of 2,000 calls, 5 days kept: day 10 \(sizes[9]) bytes, day 30 \(sizes[29]) bytes"
        )
    }

    @Test func theGatewayPrunesInTheBackgroundAndServesTheDaysTotals() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let configuration =
            VirtualKeyTests.configuration(upstream: upstream.baseURL) + """

                  maximum_spend_logs_retention_period: 1s
                  maximum_spend_logs_retention_interval: 1s
                """
        try await RunningGateway.with(configuration) { gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            for _ in 0..<3 {
                #expect(
                    try await gateway.send("/v1/chat/completions", body: VirtualKeyTests.hi, key: key).status == 200)
            }
            // The entries go once they are a second old (the test's time limit bounds the wait).
            while try await gateway.send("/spend/logs?api_key=\(key)").json.arrayValue?.isEmpty == false {
                try await Task.sleep(for: .milliseconds(200))
            }
            let today = DailySpend.day(of: Date())
            let days = try await gateway.send("/spend/logs?api_key=\(key)&start_date=\(today)&end_date=\(today)")
            #expect(days.json[0]?["requests"] == 3, "\(days.text)")
            #expect(days.json[0]?["spend"]?.doubleValue == 0.000027)
            #expect(try await gateway.send("/key/info?key=\(key)").json["info"]?["spend"]?.doubleValue == 0.000027)
            let bad = try await gateway.send("/spend/logs?api_key=\(key)&start_date=yesterday&end_date=\(today)")
            #expect(bad.status == 400 && bad.json["error"]?["param"] == "start_date")
        }
        try await upstream.shutdown()
    }

    /// The database file and its write-ahead log, in bytes.
    static func fileSize(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    @Test func aDatabaseOfTheOlderSchemaKeepsItsSpendExactlyAndGetsItsDays() async throws {
        let path = GatewayServerTests.temporaryDatabase()
        // The schema before exact money (migrations v1 to v4), with spend as REAL.
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1: keys and spend log'), ('v2: limits'), ('v3: each spend log entry once'),
                        ('v4: budget periods');
                    CREATE TABLE virtual_keys (hash TEXT PRIMARY KEY NOT NULL, alias TEXT, models TEXT NOT NULL, max_budget DOUBLE,
                        spend DOUBLE NOT NULL DEFAULT 0, expires DOUBLE, team_id TEXT, metadata TEXT NOT NULL, created_at DOUBLE NOT NULL,
                        rpm_limit INTEGER, tpm_limit INTEGER, max_parallel_requests INTEGER, budget_duration DOUBLE, budget_reset_at DOUBLE);
                    CREATE TABLE spend_logs (request_id TEXT NOT NULL, key_hash TEXT NOT NULL, team_id TEXT, model TEXT NOT NULL,
                        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, spend DOUBLE NOT NULL,
                        start_time DOUBLE NOT NULL, end_time DOUBLE NOT NULL);
                    CREATE INDEX spend_logs_by_key ON spend_logs (key_hash, start_time);
                    CREATE UNIQUE INDEX spend_logs_by_request ON spend_logs (request_id);
                    INSERT INTO virtual_keys (hash, models, spend, metadata, created_at) VALUES ('k', '[]', 0.30000000000000004, '{}', 0);
                    INSERT INTO spend_logs VALUES ('r1', 'k', NULL, 'a', 5, 2, 0.1, 1800000000, 1800000001);
                    INSERT INTO spend_logs VALUES ('r2', 'k', NULL, 'a', 5, 2, 0.2, 1800000100, 1800000101);
                    """)
        }
        try old.close()
        let store = try SQLiteKeyStore(path: path)
        #expect(try await store.key(hash: "k")?.spend == 0.3)
        #expect(try await store.spendLogs(keyHash: "k", limit: 10).map(\.spend) == [0.2, 0.1])
        let days = try await store.dailySpend(keyHash: "k", from: "2027-01-15", through: "2027-01-15")
        #expect(
            days == [
                DailySpend(
                    day: "2027-01-15", keyHash: "k", model: "a", requests: 2, promptTokens: 10, completionTokens: 4,
                    spend: 0.3)
            ])
    }
}
