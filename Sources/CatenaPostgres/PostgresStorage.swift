import Catena
import Foundation
package import Logging
package import PostgresNIO
import NIOSSL
import Synchronization
import ServiceLifecycle

/// A PostgreSQL database a Catena store keeps its tables in: the connection pool (postgres-nio) and the store's
/// schema, migrated once, under an advisory lock, so that replicas starting together migrate once.
package final class PostgresStorage: Sendable {
    /// The tables of one store: statements per version, new versions at the end.
    package struct Schema: Sendable {
        /// The table recording which versions are applied.
        package var versionsTable: String
        /// The advisory lock taken while migrating.
        package var lockID: Int64
        /// The statements of each version.
        package var versions: [[String]]

        /// Creates a schema.
        package init(versionsTable: String, lockID: Int64, versions: [[String]]) {
            self.versionsTable = versionsTable
            self.lockID = lockID
            self.versions = versions
        }
    }

    /// The connection pool.
    package let client: PostgresClient
    /// Where the pool's and the store's messages go.
    package let logger: Logger
    private let schema: Schema
    /// The schema migration, started by ``run()`` or the first operation, which every operation waits for; after a
    /// failure the next operation tries again.
    private let migration = Mutex(Migration.notStarted)

    private enum Migration {
        case notStarted
        case running(Task<Void, any Error>)
        case done
    }

    /// A database at `url` (`postgres://user:password@host:port/database`, with libpq's `sslmode`: `disable`,
    /// `prefer` (the default: TLS when the server offers it), `require` or `verify-full` (TLS with the certificate
    /// checked)), or `nil` for a URL that is not one; nothing connects before ``run()``.
    package init?(url: String, schema: Schema, logger: Logger) {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty,
            let tls = Self.tls(sslMode: components.queryItems?.first { $0.name == "sslmode" }?.value)
        else {
            return nil
        }
        let database = String(components.path.drop { $0 == "/" })
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
        self.schema = schema
    }

    /// The TLS setting for libpq's `sslmode` (`nil`: `prefer`).
    private static func tls(sslMode: String?) -> PostgresClient.Configuration.TLS? {
        switch sslMode ?? "prefer" {
        case "disable": .disable
        case "allow", "prefer": .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": .require(.makeClientConfiguration())
        default: nil
        }
    }

    /// Runs the connection pool, migrating the schema first, until the service group shuts down. A database that
    /// cannot be reached at start is tried again (every 5 s at most, logged once); every operation waits for the
    /// migration meanwhile, within its own bound.
    package func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            await migrateUntilDone()
            try await group.waitForAll()
        }
    }

    /// Migrates the schema, trying again after failures, until it is done or the service stops. Stopping cancels a
    /// migration under way: it would otherwise wait for a connection from a pool that no longer runs.
    private func migrateUntilDone() async {
        var pause = Duration.milliseconds(200)
        var logged = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await self.migrated() }
                return
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                if !logged {
                    logger.warning(
                        "the database cannot be reached or migrated yet; trying again",
                        metadata: ["error": "\(error)"])
                    logged = true
                }
                let wait = pause
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                pause = min(pause * 2, .seconds(5))
            }
        }
        migration.withLock { if case .running(let task) = $0 { task.cancel() } }
    }

    /// Waits until the schema is migrated, starting the migration if no one has. A caller that stops waiting (its
    /// deadline passed, or it was cancelled) leaves the migration running for everyone else: a readiness probe or a
    /// key lookup bounded by a second must not restart a migration that takes longer.
    package func migrated() async throws {
        let task: Task<Void, any Error>? = migration.withLock { migration in
            switch migration {
            case .done: return nil
            case .running(let task): return task
            case .notStarted:
                let task = Task { [client, logger, schema] in try await Self.migrate(schema, client, logger: logger) }
                migration = .running(task)
                return task
            }
        }
        guard let task else { return }
        do {
            try await valueUnlessCancelled(of: task)
            migration.withLock { $0 = .done }
        } catch {
            // The migration failed (rather than this caller's wait being cancelled): the next caller starts another.
            if !Task.isCancelled {
                migration.withLock { if case .running(let current) = $0, current == task { $0 = .notStarted } }
            }
            throw error
        }
    }

    private static func migrate(_ schema: Schema, _ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One replica migrates at a time; the others find the work done.
            try await connection.query("SELECT pg_advisory_xact_lock(\(schema.lockID))", logger: logger)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema.versionsTable) "
                        + "(id INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"),
                logger: logger)
            var applied = Set<Int>()
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT id FROM \(schema.versionsTable)"), logger: logger)
            for try await id in rows.decode(Int.self) { applied.insert(id) }
            for (id, statements) in schema.versions.enumerated() where !applied.contains(id) {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    PostgresQuery(unsafeSQL: "INSERT INTO \(schema.versionsTable) (id) VALUES (\(id))"),
                    logger: logger)
            }
        }
    }
}
