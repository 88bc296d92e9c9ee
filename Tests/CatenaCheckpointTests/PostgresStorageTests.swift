import Catena
import CatenaPostgres
import CatenaTestServices
import Foundation
import InMemoryLogging
import Logging
import Testing

/// The PostgreSQL storage under the gateway's keys and the checkpoints: one schema migration that every operation
/// waits for, which an operation giving up on its deadline does not stop.
@Suite(.timeLimit(.minutes(1)), .enabled(if: PostgresServer.isAvailable, "install postgresql"))
struct PostgresStorageTests {
    /// A database slow to take connections (its server frozen) holds the migration longer than a key lookup or a
    /// readiness probe waits: the migration goes on when they give up, rather than starting over each time.
    @Test func aWaiterGivingUpLeavesTheMigrationRunningForTheOthers() async throws {
        let database = try await PostgresServer.start()
        let schema = PostgresStorage.Schema(
            versionsTable: "test_versions", lockID: 1, versions: [["CREATE TABLE test_table (id INTEGER)"]])
        let log = InMemoryLogHandler()
        let storage = try #require(
            PostgresStorage(url: database.url, schema: schema, logger: Logger(label: "test") { _ in log }))
        try database.freeze()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            defer { group.cancelAll() }
            await #expect(throws: DeadlinePassed.self) {
                try await withDeadline(.milliseconds(200)) { try await storage.migrated() }
            }
            try database.thaw()
            try await storage.migrated()
            #expect(log.entries.filter { $0.level >= .warning }.isEmpty, "\(log.entries.map(\.message))")
        }
    }
}
