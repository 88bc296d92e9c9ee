import Catena
import CatenaPostgres
public import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// Keys and the spend log in PostgreSQL (postgres-nio), shared by every replica of a gateway.
///
/// A `Service`: run it (``Gateway/services`` does) so its connection pool lives, before the gateway, so that it
/// stops after the gateway has written its spend. The schema is migrated when it starts, under an advisory lock,
/// so replicas starting together migrate once. Each spend log entry is written once even when a batch is retried
/// after an unclear failure: its request id is unique, and a key's spend grows only with the entries inserted.
public final class PostgresKeyStore: KeyStore, Service {
    private let database: PostgresStorage
    private var client: PostgresClient { database.client }
    private var logger: Logger { database.logger }

    /// A store for the database at `url` (`postgres://user:password@host:port/database`, with libpq's `sslmode`:
    /// `disable`, `prefer` (the default: TLS when the server offers it), `require` or `verify-full` (TLS with the
    /// certificate checked)); nothing connects before ``run()``.
    /// - Throws: ``PostgresKeyStoreError/invalidURL`` for a URL that is not a PostgreSQL URL.
    public init(url: String, logger: Logger) throws {
        let schema = PostgresStorage.Schema(
            versionsTable: "catena_migrations", lockID: 7_210_425_961, versions: Self.migrations)
        guard let database = PostgresStorage(url: url, schema: schema, logger: logger) else {
            throw PostgresKeyStoreError.invalidURL
        }
        self.database = database
    }

    /// Runs the connection pool, migrating the schema first, until the service group shuts down. A database that
    /// cannot be reached at start is tried again (every 5 s at most, logged once) while the gateway runs and says
    /// it is not ready; every operation waits for the migration meanwhile, within its own bound.
    public func run() async throws {
        try await database.run()
    }

    /// Waits until the schema is migrated.
    private func migrated() async throws {
        try await database.migrated()
    }

    /// The schema, one list of statements per version; new versions go at the end.
    private static let migrations: [[String]] = [
        [
            """
            CREATE TABLE virtual_keys (
                hash TEXT PRIMARY KEY, alias TEXT, models TEXT NOT NULL, max_budget DOUBLE PRECISION,
                spend DOUBLE PRECISION NOT NULL DEFAULT 0, expires TIMESTAMPTZ, team_id TEXT, metadata TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL, rpm_limit BIGINT, tpm_limit BIGINT, max_parallel_requests BIGINT)
            """,
            """
            CREATE TABLE spend_logs (
                request_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL, team_id TEXT, model TEXT NOT NULL,
                prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, spend DOUBLE PRECISION NOT NULL,
                start_time TIMESTAMPTZ NOT NULL, end_time TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX spend_logs_by_key ON spend_logs (key_hash, start_time)",
        ],
        [
            "ALTER TABLE virtual_keys ADD COLUMN budget_duration DOUBLE PRECISION",
            "ALTER TABLE virtual_keys ADD COLUMN budget_reset_at TIMESTAMPTZ",
        ],
        [
            "ALTER TABLE virtual_keys ADD COLUMN spend_nanodollars BIGINT NOT NULL DEFAULT 0",
            "UPDATE virtual_keys SET spend_nanodollars = round(spend * 1e9)::bigint",
            "ALTER TABLE virtual_keys DROP COLUMN spend",
            "ALTER TABLE spend_logs ADD COLUMN spend_nanodollars BIGINT NOT NULL DEFAULT 0",
            "UPDATE spend_logs SET spend_nanodollars = round(spend * 1e9)::bigint",
            "ALTER TABLE spend_logs DROP COLUMN spend",
            "CREATE INDEX spend_logs_by_time ON spend_logs (start_time)",
            """
            CREATE TABLE daily_spend (
                key_hash TEXT NOT NULL, day DATE NOT NULL, model TEXT NOT NULL, requests BIGINT NOT NULL,
                prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, spend_nanodollars BIGINT NOT NULL,
                PRIMARY KEY (key_hash, day, model))
            """,
            """
            INSERT INTO daily_spend SELECT key_hash, (start_time AT TIME ZONE 'UTC')::date, model, count(*),
            sum(prompt_tokens), sum(completion_tokens), sum(spend_nanodollars) FROM spend_logs GROUP BY 1, 2, 3
            """,
        ],
        [
            "ALTER TABLE virtual_keys ADD COLUMN mcp_permissions TEXT",
            "ALTER TABLE spend_logs ADD COLUMN mcp_server TEXT",
            "ALTER TABLE spend_logs ADD COLUMN mcp_tool TEXT",
            "ALTER TABLE spend_logs ADD COLUMN status TEXT NOT NULL DEFAULT 'success'",
        ],
    ]

    public func insert(_ key: VirtualKey) async throws {
        try await migrated()
        try await client.query(
            """
            INSERT INTO virtual_keys (hash, alias, models, max_budget, spend_nanodollars, expires, team_id, metadata, created_at,
            rpm_limit, tpm_limit, max_parallel_requests, budget_duration, budget_reset_at, mcp_permissions) VALUES (\(key.hash),
            \(key.alias), \(key.modelsText), \(key.maxBudget), \(Nanodollars(key.spend).value), \(key.expires), \(key.teamID),
            \(key.metadataText), \(key.createdAt), \(key.rpmLimit), \(key.tpmLimit), \(key.maxParallelRequests),
            \(key.budgetDuration), \(key.budgetResetAt), \(key.mcpPermissionsText))
            """, logger: logger)
    }

    public func key(hash: String) async throws -> VirtualKey? {
        try await migrated()
        for try await row in try await client.query("SELECT * FROM virtual_keys WHERE hash = \(hash)", logger: logger) {
            let row = row.makeRandomAccess()
            return try VirtualKey(
                hash: row["hash"].decode(String.self), alias: row["alias"].decode(String?.self),
                modelsText: row["models"].decode(String.self), maxBudget: row["max_budget"].decode(Double?.self),
                spend: Nanodollars(value: row["spend_nanodollars"].decode(Int64.self)).dollars,
                expires: row["expires"].decode(Date?.self),
                teamID: row["team_id"].decode(String?.self), metadataText: row["metadata"].decode(String.self),
                createdAt: row["created_at"].decode(Date.self), rpmLimit: row["rpm_limit"].decode(Int?.self),
                tpmLimit: row["tpm_limit"].decode(Int?.self),
                maxParallelRequests: row["max_parallel_requests"].decode(Int?.self),
                budgetDuration: row["budget_duration"].decode(Double?.self),
                budgetResetAt: row["budget_reset_at"].decode(Date?.self),
                mcpPermissionsText: row["mcp_permissions"].decode(String?.self))
        }
        return nil
    }

    public func update(_ key: VirtualKey) async throws -> Bool {
        try await migrated()
        let rows = try await client.query(
            """
            UPDATE virtual_keys SET alias = \(key.alias), models = \(key.modelsText), max_budget = \(key.maxBudget),
            expires = \(key.expires), team_id = \(key.teamID), metadata = \(key.metadataText), rpm_limit = \(key.rpmLimit),
            tpm_limit = \(key.tpmLimit), max_parallel_requests = \(key.maxParallelRequests),
            budget_duration = \(key.budgetDuration), budget_reset_at = \(key.budgetResetAt),
            mcp_permissions = \(key.mcpPermissionsText) WHERE hash = \(key.hash)
            RETURNING hash
            """, logger: logger)
        return try await rows.collect().count > 0
    }

    public func resetBudget(_ key: VirtualKey, periodEnd: Date) async throws -> Bool {
        try await migrated()
        let rows = try await client.query(
            """
            UPDATE virtual_keys SET spend_nanodollars = \(Nanodollars(key.spend).value), budget_reset_at = \(key.budgetResetAt)
            WHERE hash = \(key.hash) AND budget_reset_at = \(periodEnd) RETURNING hash
            """, logger: logger)
        return try await rows.collect().count > 0
    }

    public func delete(hashes: [String]) async throws -> [String] {
        try await migrated()
        var deleted: [String] = []
        let rows = try await client.query(
            "DELETE FROM virtual_keys WHERE hash = ANY(\(hashes)) RETURNING hash", logger: logger)
        for try await hash in rows.decode(String.self) { deleted.append(hash) }
        return hashes.filter(deleted.contains)
    }

    public func record(_ entries: [SpendLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await migrated()
        // The whole batch in one statement (one round trip, not one an entry): its columns as arrays, unnested. Only
        // the entries not written before (a batch retried after an unclear failure) add to their keys' spend and
        // their days' totals, summed per key and per day and model. Arrays hold no NULL here: an absent team or
        // tool is marked in a column of its own.
        let teams = entries.map(\.teamID)
        let tools = entries.map(\.mcpTool)
        try await client.query(
            """
            WITH batch AS (
                SELECT * FROM unnest(\(entries.map(\.requestID)), \(entries.map(\.keyHash)), \(teams.map { $0 ?? "" }),
                \(teams.map { $0 != nil }), \(entries.map(\.model)), \(entries.map { Int64($0.promptTokens) }),
                \(entries.map { Int64($0.completionTokens) }), \(entries.map { Nanodollars($0.spend).value }),
                \(entries.map(\.startTime)), \(entries.map(\.endTime)), \(tools.map { $0?.server ?? "" }),
                \(tools.map { $0?.tool ?? "" }), \(tools.map { $0 != nil }), \(entries.map(\.status.rawValue)))
                AS b(request_id, key_hash, team_id, has_team, model, prompt_tokens, completion_tokens, spend_nanodollars,
                start_time, end_time, mcp_server, mcp_tool, has_tool, status)),
            inserted AS (
                INSERT INTO spend_logs (request_id, key_hash, team_id, model, prompt_tokens, completion_tokens,
                spend_nanodollars, start_time, end_time, mcp_server, mcp_tool, status)
                SELECT request_id, key_hash, CASE WHEN has_team THEN team_id END, model, prompt_tokens, completion_tokens,
                spend_nanodollars, start_time, end_time, CASE WHEN has_tool THEN mcp_server END,
                CASE WHEN has_tool THEN mcp_tool END, status FROM batch
                ON CONFLICT (request_id) DO NOTHING
                RETURNING key_hash, model, prompt_tokens, completion_tokens, spend_nanodollars, start_time),
            keyed AS (
                UPDATE virtual_keys SET spend_nanodollars = \(unescaped: Self.bounded("virtual_keys.spend_nanodollars", "added.spend"))
                FROM (SELECT key_hash, sum(spend_nanodollars) AS spend FROM inserted GROUP BY key_hash) AS added
                WHERE virtual_keys.hash = added.key_hash)
            INSERT INTO daily_spend (key_hash, day, model, requests, prompt_tokens, completion_tokens, spend_nanodollars)
            SELECT key_hash, (start_time AT TIME ZONE 'UTC')::date AS day, model, count(*),
            \(unescaped: Self.bounded("sum(prompt_tokens)")), \(unescaped: Self.bounded("sum(completion_tokens)")),
            \(unescaped: Self.bounded("sum(spend_nanodollars)")) FROM inserted GROUP BY key_hash, day, model
            ON CONFLICT (key_hash, day, model) DO UPDATE SET
            requests = \(unescaped: Self.bounded("daily_spend.requests", "excluded.requests")),
            prompt_tokens = \(unescaped: Self.bounded("daily_spend.prompt_tokens", "excluded.prompt_tokens")),
            completion_tokens = \(unescaped: Self.bounded("daily_spend.completion_tokens", "excluded.completion_tokens")),
            spend_nanodollars = \(unescaped: Self.bounded("daily_spend.spend_nanodollars", "excluded.spend_nanodollars"))
            """, logger: logger)
    }

    /// The sum of `terms` (SQL, 64-bit integers) added as numerics and held to the 64-bit range, where adding them
    /// as 64-bit integers would fail the statement (and the batch, again at each retry) once it overflows.
    private static func bounded(_ terms: String...) -> String {
        let sum = terms.map { "(\($0))::numeric" }.joined(separator: " + ")
        return "LEAST(GREATEST(\(sum), -9223372036854775808), 9223372036854775807)"
    }

    public func spendLogs(keyHash: String, limit: Int) async throws -> [SpendLogEntry] {
        try await migrated()
        let rows = try await client.query(
            """
            SELECT request_id, key_hash, team_id, model, prompt_tokens, completion_tokens, spend_nanodollars, start_time,
            end_time, mcp_server, mcp_tool, status FROM spend_logs WHERE key_hash = \(keyHash) ORDER BY start_time DESC LIMIT \(max(0, limit))
            """, logger: logger)
        var entries: [SpendLogEntry] = []
        for try await (requestID, keyHash, teamID, model, prompt, completion, spend, start, end, server, tool, status)
            in rows.decode(
                (String, String, String?, String, Int, Int, Int64, Date, Date, String?, String?, String).self)
        {
            entries.append(
                SpendLogEntry(
                    requestID: requestID, keyHash: keyHash, teamID: teamID, model: model, promptTokens: prompt,
                    completionTokens: completion, spend: Nanodollars(value: spend).dollars, startTime: start,
                    endTime: end, mcpTool: SpendLogEntry.MCPToolName(server: server, tool: tool),
                    status: SpendLogEntry.Status(stored: status)))
        }
        return entries
    }

    public func dailySpend(keyHash: String, from firstDay: String, through lastDay: String) async throws -> [DailySpend]
    {
        try await migrated()
        let rows = try await client.query(
            """
            SELECT day::text, model, requests, prompt_tokens, completion_tokens, spend_nanodollars FROM daily_spend
            WHERE key_hash = \(keyHash) AND day >= \(firstDay)::date AND day <= \(lastDay)::date ORDER BY day, model
            """, logger: logger)
        var days: [DailySpend] = []
        for try await (day, model, requests, prompt, completion, spend) in rows.decode(
            (String, String, Int, Int, Int, Int64).self)
        {
            days.append(
                DailySpend(
                    day: day, keyHash: keyHash, model: model, requests: requests, promptTokens: prompt,
                    completionTokens: completion,
                    spend: Nanodollars(value: spend).dollars))
        }
        return days
    }

    public func pruneSpendLogs(before date: Date) async throws -> Int {
        try await migrated()
        var deleted = 0
        // In batches, each its own short statement, so the spend writers are never held back for long.
        while true {
            let rows = try await client.query(
                """
                DELETE FROM spend_logs WHERE ctid IN (SELECT ctid FROM spend_logs WHERE start_time < \(date) LIMIT 5000)
                RETURNING 1
                """, logger: logger)
            let batch = try await rows.collect().count
            deleted += batch
            if batch < 5_000 { return deleted }
        }
    }
}

/// Why a ``PostgresKeyStore`` cannot be made.
public enum PostgresKeyStoreError: Error, Equatable, CustomStringConvertible {
    /// The URL is not `postgres://user:password@host:port/database` (with an optional `sslmode` libpq knows).
    case invalidURL

    /// What is wrong (never the URL itself, which may hold a password).
    public var description: String {
        "general_settings.database_url: expected postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-full]"
    }
}
