import Catena
import CatenaPostgres
import CatenaSQLiteCheckpoints
import CatenaTesting
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
        try await withStores(kind, count: 1) { try await body($0[0]) }
    }

    /// Runs `body` with `count` stores of `kind` on the same data, as replicas (or processes) open it.
    static func withStores(
        _ kind: Kind, count: Int = 2, _ body: ([any CheckpointStore]) async throws -> Void
    ) async throws {
        switch kind {
        case .memory:
            let store = InMemoryCheckpointStore()
            try await body(Array(repeating: store, count: count))
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoints-\(UUID()).sqlite")
            defer { try? FileManager.default.removeItem(at: path) }
            try await body((0..<count).map { _ in try SQLiteCheckpointStore(path: path.path) })
        case .postgres:
            let url = try #require(ProcessInfo.processInfo.environment["CATENA_POSTGRES_URL"])
            let stores = try (0..<count).map { _ in
                try PostgresCheckpointStore(url: url, logger: Logger(label: "test.checkpoints"))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.run() } }
                defer { group.cancelAll() }
                try await body(stores)
            }
        }
    }

    /// A run interrupted on one replica is resumed on another, which finds the decisions' calls and the
    /// conversation where the first left them.
    @Test(arguments: Kind.allCases)
    func aRunInterruptedOnOneReplicaResumesOnAnother(_ kind: Kind) async throws {
        try await Self.withStores(kind) { stores in
            let (first, second) = (stores[0], stores[1])
            let id = "replica-\(UUID())"
            let call = ToolCall(id: "c1", name: "echo", arguments: #"{"text":"hi"}"#)
            let echo = FunctionTool(name: "echo", description: "Echoes", parameters: ["type": "object"]) {
                (arguments: [String: String]) in arguments["text"] ?? ""
            }
            let agent = try Agent(
                model: ScriptedChatModel {
                    $0.last?.role == .tool ? .assistant("Echoed.") : .assistant("", toolCalls: [call])
                },
                tools: [echo], middleware: [.humanInTheLoop(before: ["echo"])])
            await #expect(throws: AgentInterrupt.self) {
                try await agent.invoke([.user("Echo hi")], in: AgentThread(id, in: first))
            }
            let result = try await agent.resume(AgentThread(id, in: second), decisions: ["c1": .approve])
            #expect(result.messages.map(\.text) == ["Echo hi", "", "hi", "Echoed."])
            let history = try await AgentThread(id, in: first).history()
            #expect(history.map(\.status).first { $0 != .running } == .interrupted(pending: [call]))
            #expect(history.last?.status == .finished)
            #expect(try await first.threads().contains(id))
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
            // Other tests write to the shared database meanwhile: only the two threads' order is this test's.
            let threads = try await store.threads()
            #expect(threads.firstIndex(of: second).map { $0 < threads.firstIndex(of: first) ?? 0 } == true)
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
