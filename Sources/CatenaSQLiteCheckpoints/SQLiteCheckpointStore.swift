public import Catena
import Foundation
import GRDB

/// An agent's checkpoints in one SQLite file (GRDB), the store for threads on one machine.
///
/// The file is in WAL mode with `synchronous = NORMAL`: a checkpoint survives the process being killed as soon as
/// ``append(_:)`` returns (a power cut may lose the last ones). Several processes may open the same file; two runs
/// writing the same checkpoint of a thread get a `CheckpointConflict`.
///
/// ```swift
/// let store = try SQLiteCheckpointStore(path: "agent.sqlite")
/// let result = try await agent.invoke([.user("Hello")], in: AgentThread("support-42", in: store))
/// ```
public final class SQLiteCheckpointStore: CheckpointStore {
    private let database: DatabasePool

    /// Opens (or creates) the store at `path`.
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened or is not a database.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabasePool(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS agent_checkpoints (
                        thread TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        payload BLOB NOT NULL,
                        PRIMARY KEY (thread, sequence)
                    )
                    """)
        }
    }

    public func append(_ record: CheckpointRecord) async throws {
        do {
            // One statement is its own transaction.
            try await database.writeWithoutTransaction { db in
                try db.cachedStatement(
                    sql: "INSERT INTO agent_checkpoints (thread, sequence, payload) VALUES (?, ?, ?)"
                )
                .execute(arguments: [record.thread, record.sequence, Data(record.payload)])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw CheckpointConflict(thread: record.thread, sequence: record.sequence)
        }
    }

    public func records(thread: String) async throws -> [CheckpointRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT sequence, payload FROM agent_checkpoints WHERE thread = ? ORDER BY sequence",
                arguments: [thread]
            ).map { Self.record($0, thread: thread) }
        }
    }

    public func latestRecord(thread: String) async throws -> CheckpointRecord? {
        try await database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT sequence, payload FROM agent_checkpoints WHERE thread = ? ORDER BY sequence DESC LIMIT 1",
                arguments: [thread]
            ).map { Self.record($0, thread: thread) }
        }
    }

    public func threads() async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(
                db, sql: "SELECT thread FROM agent_checkpoints GROUP BY thread ORDER BY MAX(rowid) DESC")
        }
    }

    private static func record(_ row: Row, thread: String) -> CheckpointRecord {
        let payload: Data = row["payload"]
        return CheckpointRecord(thread: thread, sequence: row["sequence"], payload: Array(payload))
    }
}
