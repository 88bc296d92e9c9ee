public import Catena
public import Logging
import NIOCore
import PostgresNIO
public import ServiceLifecycle

/// An agent's checkpoints in PostgreSQL (postgres-nio): the store for replicas that share threads.
///
/// A `Service`: run it (in a `ServiceGroup`, or a task of its own) so that its connection pool lives; its table is
/// created when it starts, or by the first operation. Two runs writing the same checkpoint of a thread (two
/// replicas resuming it at once) get a `CheckpointConflict`.
///
/// ```swift
/// let store = try PostgresCheckpointStore(url: "postgres://catena@db:5432/catena", logger: logger)
/// async let running: Void = store.run()
/// let result = try await agent.invoke([.user("Hello")], in: AgentThread("support-42", in: store))
/// ```
public final class PostgresCheckpointStore: CheckpointStore, Service {
    private let database: PostgresStorage

    /// A store for the database at `url` (`postgres://user:password@host:port/database`, with libpq's `sslmode`:
    /// `disable`, `prefer` (the default), `require` or `verify-full`); nothing connects before ``run()``.
    /// - Throws: `CatenaError` (`invalidConfiguration`) for a URL that is not a PostgreSQL URL (the message never
    ///   shows the URL, which may hold a password).
    public init(url: String, logger: Logger) throws(CatenaError) {
        let schema = PostgresStorage.Schema(
            versionsTable: "catena_checkpoint_migrations", lockID: 7_210_425_962,
            versions: [
                [
                    """
                    CREATE TABLE agent_checkpoints (
                        id BIGSERIAL UNIQUE, thread TEXT NOT NULL, sequence INTEGER NOT NULL, payload BYTEA NOT NULL,
                        saved_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (thread, sequence))
                    """
                ]
            ])
        guard let database = PostgresStorage(url: url, schema: schema, logger: logger) else {
            throw CatenaError(
                .invalidConfiguration,
                "expected postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-full]")
        }
        self.database = database
    }

    /// Runs the connection pool, creating the table first, until the service group shuts down.
    public func run() async throws {
        try await database.run()
    }

    public func append(_ record: CheckpointRecord) async throws {
        try await database.migrated()
        do {
            try await database.client.query(
                """
                INSERT INTO agent_checkpoints (thread, sequence, payload)
                VALUES (\(record.thread), \(record.sequence), \(ByteBuffer(bytes: record.payload)))
                """, logger: database.logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw CheckpointConflict(thread: record.thread, sequence: record.sequence)
        }
    }

    public func records(thread: String) async throws -> [CheckpointRecord] {
        try await records(
            "SELECT sequence, payload FROM agent_checkpoints WHERE thread = \(thread) ORDER BY sequence", thread: thread
        )
    }

    public func latestRecord(thread: String) async throws -> CheckpointRecord? {
        try await records(
            """
            SELECT sequence, payload FROM agent_checkpoints WHERE thread = \(thread) ORDER BY sequence DESC LIMIT 1
            """, thread: thread
        ).first
    }

    public func threads() async throws -> [String] {
        try await database.migrated()
        let rows = try await database.client.query(
            "SELECT thread FROM agent_checkpoints GROUP BY thread ORDER BY MAX(id) DESC", logger: database.logger)
        var threads: [String] = []
        for try await thread in rows.decode(String.self) { threads.append(thread) }
        return threads
    }

    private func records(_ query: PostgresQuery, thread: String) async throws -> [CheckpointRecord] {
        try await database.migrated()
        let rows = try await database.client.query(query, logger: database.logger)
        var records: [CheckpointRecord] = []
        for try await (sequence, payload) in rows.decode((Int, ByteBuffer).self) {
            records.append(
                CheckpointRecord(thread: thread, sequence: sequence, payload: Array(payload.readableBytesView)))
        }
        return records
    }
}
