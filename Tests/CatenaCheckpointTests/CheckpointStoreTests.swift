import Catena
import CatenaPostgres
import CatenaSQLiteCheckpoints
import Foundation
import Logging
import Testing

/// Every checkpoint store keeps the same promises: records come back in order, per thread; the latest is the last;
/// threads are listed, the most recently written first; a sequence number written twice is a conflict.
@Suite(.timeLimit(.minutes(1)))
struct CheckpointStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a store of `kind` (a PostgreSQL store's pool running meanwhile, on the database
    /// `scripts/test.sh` starts).
    static func withStore(_ kind: Kind, _ body: (any CheckpointStore) async throws -> Void) async throws {
        switch kind {
        case .memory:
            try await body(InMemoryCheckpointStore())
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoints-\(UUID()).sqlite")
            defer { try? FileManager.default.removeItem(at: path) }
            try await body(SQLiteCheckpointStore(path: path.path))
        case .postgres:
            let url = try #require(ProcessInfo.processInfo.environment["CATENA_POSTGRES_URL"])
            let store = try PostgresCheckpointStore(url: url, logger: Logger(label: "test.checkpoints"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                try await body(store)
            }
        }
    }

    @Test(arguments: Kind.allCases)
    func recordsComeBackInOrderPerThread(_ kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let (first, second) = ("a-\(UUID())", "b-\(UUID())")
            let payload = Array(#"{"payload":"\u00e9"}"#.utf8) + [0xC3, 0xA9]
            for sequence in 1...3 {
                try await store.append(
                    CheckpointRecord(thread: first, sequence: sequence, payload: payload + [UInt8(sequence)]))
            }
            try await store.append(CheckpointRecord(thread: second, sequence: 1, payload: []))
            #expect(try await store.records(thread: first).map(\.sequence) == [1, 2, 3])
            #expect(try await store.records(thread: first).last?.payload == payload + [3])
            #expect(try await store.latestRecord(thread: first)?.sequence == 3)
            #expect(try await store.latestRecord(thread: second)?.payload == [])
            #expect(try await store.records(thread: "never-\(UUID())").isEmpty)
            #expect(try await store.latestRecord(thread: "never-\(UUID())") == nil)
            #expect(try await Array(store.threads().prefix(2)) == [second, first])
        }
    }

    @Test(arguments: Kind.allCases)
    func aSequenceNumberWrittenTwiceIsAConflict(_ kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let thread = "c-\(UUID())"
            try await store.append(CheckpointRecord(thread: thread, sequence: 1, payload: [1]))
            await #expect(throws: CheckpointConflict(thread: thread, sequence: 1)) {
                try await store.append(CheckpointRecord(thread: thread, sequence: 1, payload: [2]))
            }
            #expect(try await store.records(thread: thread).map(\.payload) == [[1]])
        }
    }

    @Test func aBadPostgresURLIsRefusedWithoutShowingIt() {
        #expect {
            _ = try PostgresCheckpointStore(url: "mysql://user:secret@db/x", logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("postgres://user:password@host") && !"\(error)".contains("secret")
        }
    }
}
