import Catena
import CatenaGateway
import Foundation
import Logging
import Testing

/// Both key stores keep the same promises: a key round-trips, updates leave spend alone, deletion reports what
/// existed, and a spend log entry written twice (a batch retried after an unclear failure) counts once.
@Suite(.timeLimit(.minutes(1)))
struct KeyStoreTests {
    /// The PostgreSQL database `scripts/test.sh` starts (`scripts/postgres.sh`).
    static let postgresURL = ProcessInfo.processInfo.environment["CATENA_POSTGRES_URL"]

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a store of `kind` (a PostgreSQL store's pool running meanwhile).
    static func withStore(_ kind: Kind, _ body: (any KeyStore) async throws -> Void) async throws {
        switch kind {
        case .sqlite:
            try await body(SQLiteKeyStore(path: GatewayServerTests.temporaryDatabase()))
        case .postgres:
            let store = try PostgresKeyStore(url: try #require(postgresURL), logger: Logger(label: "test.postgres"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                try await body(store)
            }
        }
    }

    @Test(arguments: Kind.allCases.filter { $0 == .sqlite || postgresURL != nil })
    func keysAndSpendRoundTrip(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let hash = UUID().uuidString
            let created = Date(timeIntervalSince1970: 1_800_000_000)
            var key = VirtualKey(
                hash: hash, alias: "a", models: ["local"], maxBudget: 1.5, expires: created.addingTimeInterval(60),
                teamID: "t", metadata: ["owner": "tests"], createdAt: created, rpmLimit: 10, tpmLimit: 1_000,
                maxParallelRequests: 2, mcpServers: ["tools"], mcpTools: ["tools-echo"])
            try await store.insert(key)
            #expect(try await store.key(hash: hash) == key)
            #expect(try await store.key(hash: "missing") == nil)

            let entry = SpendLogEntry(
                requestID: UUID().uuidString, keyHash: hash, teamID: "t", model: "local", promptTokens: 5,
                completionTokens: 2, spend: 0.25, startTime: created, endTime: created.addingTimeInterval(1))
            try await store.record([entry])
            try await store.record([entry])  // a retried batch: counted once
            #expect(try await store.key(hash: hash)?.spend == 0.25)
            #expect(try await store.spendLogs(keyHash: hash, limit: 10) == [entry])
            let toolCall = SpendLogEntry(
                requestID: UUID().uuidString, keyHash: hash, teamID: "t", model: "mcp/tools-echo", promptTokens: 0,
                completionTokens: 0, spend: 0, startTime: created.addingTimeInterval(2),
                endTime: created.addingTimeInterval(3), mcpTool: .init(server: "tools", tool: "echo"), status: .failure)
            try await store.record([toolCall])
            #expect(try await store.spendLogs(keyHash: hash, limit: 10) == [toolCall, entry])

            key.maxBudget = 3
            key.mcpTools = []
            key.spend = 100  // not the store's to change through an update
            #expect(try await store.update(key))
            let updated = try #require(try await store.key(hash: hash))
            #expect(updated.maxBudget == 3 && updated.spend == 0.25 && updated.mcpTools.isEmpty)
            #expect(try await !store.update(VirtualKey(hash: "missing")))

            // A budget period ends: one reset wins, a second for the same period does not.
            key = updated
            key.budgetDuration = 60
            key.budgetResetAt = created
            #expect(try await store.update(key))
            let next = try #require(key.budgetReset(at: created.addingTimeInterval(150)))
            #expect(next.spend == 0 && next.budgetResetAt == created.addingTimeInterval(180))
            #expect(try await store.resetBudget(next, periodEnd: created))
            #expect(try await !store.resetBudget(next, periodEnd: created))
            #expect(try await store.key(hash: hash) == next)

            #expect(try await store.delete(hashes: [hash, "missing"]) == [hash])
            #expect(try await store.key(hash: hash) == nil)
        }
    }
}

extension KeyStoreTests {
    @Test(arguments: Kind.allCases.filter { $0 == .sqlite || postgresURL != nil })
    func aBatchAddsToEachKeyDayAndModelOnce(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let (first, second) = (UUID().uuidString, UUID().uuidString)
            for hash in [first, second] { try await store.insert(VirtualKey(hash: hash)) }
            let day = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15, 08:00 UTC
            let nextDay = day.addingTimeInterval(86_400)
            func entry(_ key: String, _ model: String, _ start: Date, team: String? = nil) -> SpendLogEntry {
                SpendLogEntry(
                    requestID: UUID().uuidString, keyHash: key, teamID: team, model: model, promptTokens: 1 << 32,
                    completionTokens: 3, spend: 0.125, startTime: start, endTime: start.addingTimeInterval(1))
            }
            let written = entry(first, "a", day, team: "t")
            try await store.record([written])
            let batch = [
                written,  // written before: not counted again
                entry(first, "a", day), entry(first, "a", day.addingTimeInterval(60)), entry(first, "b", day),
                entry(first, "a", nextDay), entry(second, "a", day, team: ""),
            ]
            try await store.record(batch + [batch[1]])  // and one twice in the same batch
            #expect(try await store.key(hash: first)?.spend == 0.125 * 5)
            #expect(try await store.key(hash: second)?.spend == 0.125)
            let days = try await store.dailySpend(
                keyHash: first, from: "2027-01-15", through: "2027-01-16")
            let totals = Dictionary(uniqueKeysWithValues: days.map { ("\($0.day) \($0.model)", $0) })
            #expect(totals.count == 3)
            #expect(totals["2027-01-15 a"]?.requests == 3 && totals["2027-01-15 a"]?.promptTokens == 3 << 32)
            #expect(totals["2027-01-15 a"]?.completionTokens == 9 && totals["2027-01-15 a"]?.spend == 0.375)
            #expect(totals["2027-01-15 b"]?.requests == 1 && totals["2027-01-16 a"]?.requests == 1)
            let logs = try await store.spendLogs(keyHash: second, limit: 10)
            #expect(logs.count == 1 && logs.first?.teamID == "" && logs.first?.mcpTool == nil)
            #expect(try await store.spendLogs(keyHash: first, limit: 10).count == 5)

            // Sums past 64 bits (two entries of $9 billion, in nanodollars) stay at the bound, and read back.
            let rich = UUID().uuidString
            try await store.insert(VirtualKey(hash: rich))
            var huge = [entry(rich, "a", day), entry(rich, "a", day)]
            for index in huge.indices { huge[index].spend = 9e9 }
            try await store.record(huge)
            #expect(try await store.key(hash: rich)?.spend == Double(Int64.max) / 1e9)
            let richDay = try await store.dailySpend(keyHash: rich, from: "2027-01-15", through: "2027-01-15")
            #expect(richDay.first?.spend == Double(Int64.max) / 1e9 && richDay.first?.promptTokens == 2 << 32)
        }
    }
}

/// Budget periods computed from untrusted or absurd stored values never trap.
struct BudgetPeriodTests {
    @Test(arguments: [1e-300, 1, 86_400, 1e300])
    func aResetMovesPastNowByWholePeriods(duration: Double) throws {
        let start = Date(timeIntervalSince1970: 0)
        let key = VirtualKey(hash: "h", spend: 5, budgetDuration: duration, budgetResetAt: start)
        let now = Date(timeIntervalSince1970: 100_000)
        let next = try #require(key.budgetReset(at: now))
        #expect(next.spend == 0)
        #expect(try #require(next.budgetResetAt) > now)
        #expect(key.budgetReset(at: start.addingTimeInterval(-1)) == nil)
        #expect(VirtualKey(hash: "h", spend: 5).budgetReset(at: now) == nil)
    }
}

/// A database URL that is not PostgreSQL's, or names an `sslmode` libpq does not know, is refused without showing it.
struct PostgresURLTests {
    @Test(arguments: [
        "mysql://u:secret@h/db", "postgres://u:secret@h/db?sslmode=sometimes", "postgres:///db", "not a url",
    ])
    func aURLThatIsNotPostgresIsRefused(url: String) {
        #expect(throws: PostgresKeyStoreError.invalidURL) {
            try PostgresKeyStore(url: url, logger: Logger(label: "test"))
        }
        #expect(!"\(PostgresKeyStoreError.invalidURL)".contains("secret"))
    }

    @Test(arguments: [
        "postgres://u@h/db", "postgresql://u:p@h:5433/db?sslmode=disable", "postgres://h?sslmode=verify-full",
    ])
    func aPostgresURLIsTaken(url: String) throws {
        _ = try PostgresKeyStore(url: url, logger: Logger(label: "test"))
    }
}
