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
                maxParallelRequests: 2)
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

            key.maxBudget = 3
            key.spend = 100  // not the store's to change through an update
            #expect(try await store.update(key))
            let updated = try #require(try await store.key(hash: hash))
            #expect(updated.maxBudget == 3 && updated.spend == 0.25)
            #expect(try await !store.update(VirtualKey(hash: "missing")))

            #expect(try await store.delete(hashes: [hash, "missing"]) == [hash])
            #expect(try await store.key(hash: hash) == nil)
        }
    }
}
