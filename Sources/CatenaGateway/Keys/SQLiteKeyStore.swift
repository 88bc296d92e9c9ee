import Catena
public import Foundation
import GRDB

/// Keys and the spend log in one SQLite file (GRDB, WAL mode with `synchronous = NORMAL`: what is written survives the
/// process being killed, a power cut may lose the last writes): what a single gateway needs, with nothing else to
/// run. The spend log is indexed by key and time, so a key's logs are read without scanning the others.
public final class SQLiteKeyStore: KeyStore {
    private let database: DatabasePool

    /// Opens (or creates, with its folder) the store at `path`, migrating its schema.
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened or is not a database; Foundation's error when
    ///   its folder cannot be created.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: keys and spend log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE virtual_keys (
                        hash TEXT PRIMARY KEY NOT NULL,
                        alias TEXT,
                        models TEXT NOT NULL,
                        max_budget DOUBLE,
                        spend DOUBLE NOT NULL DEFAULT 0,
                        expires DOUBLE,
                        team_id TEXT,
                        metadata TEXT NOT NULL,
                        created_at DOUBLE NOT NULL
                    );
                    CREATE TABLE spend_logs (
                        request_id TEXT NOT NULL,
                        key_hash TEXT NOT NULL,
                        team_id TEXT,
                        model TEXT NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        completion_tokens INTEGER NOT NULL,
                        spend DOUBLE NOT NULL,
                        start_time DOUBLE NOT NULL,
                        end_time DOUBLE NOT NULL
                    );
                    CREATE INDEX spend_logs_by_key ON spend_logs (key_hash, start_time);
                    """)
        }
        migrator.registerMigration("v2: limits") { db in
            try db.execute(
                sql: """
                    ALTER TABLE virtual_keys ADD COLUMN rpm_limit INTEGER;
                    ALTER TABLE virtual_keys ADD COLUMN tpm_limit INTEGER;
                    ALTER TABLE virtual_keys ADD COLUMN max_parallel_requests INTEGER;
                    """)
        }
        migrator.registerMigration("v3: each spend log entry once") { db in
            try db.execute(sql: "CREATE UNIQUE INDEX spend_logs_by_request ON spend_logs (request_id)")
        }
        migrator.registerMigration("v4: budget periods") { db in
            try db.execute(
                sql: """
                    ALTER TABLE virtual_keys ADD COLUMN budget_duration DOUBLE;
                    ALTER TABLE virtual_keys ADD COLUMN budget_reset_at DOUBLE;
                    """)
        }
        migrator.registerMigration("v5: exact money, daily totals, pruning by time") { db in
            try db.execute(
                sql: """
                    ALTER TABLE virtual_keys ADD COLUMN spend_nanodollars INTEGER NOT NULL DEFAULT 0;
                    UPDATE virtual_keys SET spend_nanodollars = CAST(ROUND(spend * 1e9) AS INTEGER);
                    ALTER TABLE virtual_keys DROP COLUMN spend;
                    ALTER TABLE spend_logs ADD COLUMN spend_nanodollars INTEGER NOT NULL DEFAULT 0;
                    UPDATE spend_logs SET spend_nanodollars = CAST(ROUND(spend * 1e9) AS INTEGER);
                    ALTER TABLE spend_logs DROP COLUMN spend;
                    CREATE INDEX spend_logs_by_time ON spend_logs (start_time);
                    CREATE TABLE daily_spend (
                        key_hash TEXT NOT NULL,
                        day TEXT NOT NULL,
                        model TEXT NOT NULL,
                        requests INTEGER NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        completion_tokens INTEGER NOT NULL,
                        spend_nanodollars INTEGER NOT NULL,
                        PRIMARY KEY (key_hash, day, model)
                    );
                    INSERT INTO daily_spend
                        SELECT key_hash, date(start_time, 'unixepoch'), model, COUNT(*), SUM(prompt_tokens),
                        SUM(completion_tokens), SUM(spend_nanodollars) FROM spend_logs GROUP BY 1, 2, 3;
                    """)
        }
        migrator.registerMigration("v6: MCP permissions and calls") { db in
            try db.execute(
                sql: """
                    ALTER TABLE virtual_keys ADD COLUMN mcp_permissions TEXT;
                    ALTER TABLE spend_logs ADD COLUMN mcp_server TEXT;
                    ALTER TABLE spend_logs ADD COLUMN mcp_tool TEXT;
                    ALTER TABLE spend_logs ADD COLUMN status TEXT NOT NULL DEFAULT 'success';
                    """)
        }
        try migrator.migrate(database)
    }

    public func insert(_ key: VirtualKey) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO virtual_keys (alias, models, max_budget, expires, team_id, metadata, rpm_limit, tpm_limit,
                    max_parallel_requests, budget_duration, budget_reset_at, mcp_permissions, hash, spend_nanodollars,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.settings(of: key) + [
                    key.hash, Nanodollars(key.spend).value, key.createdAt.timeIntervalSince1970,
                ])
        }
    }

    public func key(hash: String) async throws -> VirtualKey? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM virtual_keys WHERE hash = ?", arguments: [hash]).map(
                Self.key(from:))
        }
    }

    public func update(_ key: VirtualKey) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE virtual_keys SET alias = ?, models = ?, max_budget = ?, expires = ?, team_id = ?, metadata = ?,
                    rpm_limit = ?, tpm_limit = ?, max_parallel_requests = ?, budget_duration = ?, budget_reset_at = ?,
                    mcp_permissions = ? WHERE hash = ?
                    """,
                arguments: Self.settings(of: key) + [key.hash])
            return db.changesCount > 0
        }
    }

    public func resetBudget(_ key: VirtualKey, periodEnd: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql:
                    "UPDATE virtual_keys SET spend_nanodollars = ?, budget_reset_at = ? WHERE hash = ? AND budget_reset_at = ?",
                arguments: [
                    Nanodollars(key.spend).value, key.budgetResetAt?.timeIntervalSince1970, key.hash,
                    periodEnd.timeIntervalSince1970,
                ])
            return db.changesCount > 0
        }
    }

    public func delete(hashes: [String]) async throws -> [String] {
        try await database.write { db in
            try hashes.filter { hash in
                try db.execute(sql: "DELETE FROM virtual_keys WHERE hash = ?", arguments: [hash])
                return db.changesCount > 0
            }
        }
    }

    public func record(_ entries: [SpendLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await database.write { db in
            // Compiled once per connection, not once per entry.
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO spend_logs (request_id, key_hash, team_id, model, prompt_tokens, completion_tokens,
                    spend_nanodollars, start_time, end_time, mcp_server, mcp_tool, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let addSpend = try db.cachedStatement(
                sql:
                    "UPDATE virtual_keys SET spend_nanodollars = \(Self.bounded("spend_nanodollars + ?")) WHERE hash = ?"
            )
            let addToDay = try db.cachedStatement(
                sql: """
                    INSERT INTO daily_spend (key_hash, day, model, requests, prompt_tokens, completion_tokens, spend_nanodollars)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash, day, model) DO UPDATE SET
                    requests = \(Self.bounded("requests + excluded.requests")),
                    prompt_tokens = \(Self.bounded("prompt_tokens + excluded.prompt_tokens")),
                    completion_tokens = \(Self.bounded("completion_tokens + excluded.completion_tokens")),
                    spend_nanodollars = \(Self.bounded("spend_nanodollars + excluded.spend_nanodollars"))
                    """)
            var totals = SpendTotals()
            for entry in entries {
                // Only an entry not written before (a batch retried after an unclear failure) adds to the totals.
                try insert.execute(
                    arguments: [
                        entry.requestID, entry.keyHash, entry.teamID, entry.model, entry.promptTokens,
                        entry.completionTokens, Nanodollars(entry.spend).value, entry.startTime.timeIntervalSince1970,
                        entry.endTime.timeIntervalSince1970, entry.mcpTool?.server, entry.mcpTool?.tool,
                        entry.status.rawValue,
                    ])
                if db.changesCount > 0 { totals.add(entry) }
            }
            for (keyHash, spend) in totals.byKey { try addSpend.execute(arguments: [spend.value, keyHash]) }
            for (day, sums) in totals.byDay {
                try addToDay.execute(arguments: [
                    day.keyHash, totals.text(of: day), day.model, sums.requests, sums.promptTokens,
                    sums.completionTokens, sums.spend.value,
                ])
            }
        }
    }

    /// `sum` (SQL adding 64-bit integers) held to the 64-bit range: past it SQLite makes the sum a real number.
    private static func bounded(_ sum: String) -> String {
        "max(min(\(sum), 9223372036854775807), -9223372036854775808)"
    }

    public func spendLogs(keyHash: String, limit: Int) async throws -> [SpendLogEntry] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM spend_logs WHERE key_hash = ? ORDER BY start_time DESC LIMIT ?",
                arguments: [keyHash, max(0, limit)]
            ).map { row in
                SpendLogEntry(
                    requestID: row["request_id"], keyHash: row["key_hash"], teamID: row["team_id"], model: row["model"],
                    promptTokens: Int(row.storedCount("prompt_tokens")),
                    completionTokens: Int(row.storedCount("completion_tokens")),
                    spend: Nanodollars(value: row.storedCount("spend_nanodollars")).dollars,
                    startTime: Date(timeIntervalSince1970: row["start_time"]),
                    endTime: Date(timeIntervalSince1970: row["end_time"]),
                    mcpTool: SpendLogEntry.MCPToolName(server: row["mcp_server"], tool: row["mcp_tool"]),
                    status: SpendLogEntry.Status(stored: row["status"]))
            }
        }
    }

    public func dailySpend(keyHash: String, from firstDay: String, through lastDay: String) async throws -> [DailySpend]
    {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM daily_spend WHERE key_hash = ? AND day >= ? AND day <= ? ORDER BY day, model",
                arguments: [keyHash, firstDay, lastDay]
            ).map { row in
                DailySpend(
                    day: row["day"], keyHash: row["key_hash"], model: row["model"],
                    requests: Int(row.storedCount("requests")),
                    promptTokens: Int(row.storedCount("prompt_tokens")),
                    completionTokens: Int(row.storedCount("completion_tokens")),
                    spend: Nanodollars(value: row.storedCount("spend_nanodollars")).dollars)
            }
        }
    }

    public func pruneSpendLogs(before date: Date) async throws -> Int {
        var deleted = 0
        // In batches, each its own short transaction, so the spend writer is never held back for long.
        while true {
            let batch = try await database.write { db in
                try db.execute(
                    sql:
                        "DELETE FROM spend_logs WHERE rowid IN (SELECT rowid FROM spend_logs WHERE start_time < ? LIMIT 5000)",
                    arguments: [date.timeIntervalSince1970])
                return db.changesCount
            }
            deleted += batch
            if batch < 5_000 { return deleted }
        }
    }

    /// The columns of a key's settings, in the order the statements above name them.
    private static func settings(of key: VirtualKey) -> StatementArguments {
        [
            key.alias, key.modelsText, key.maxBudget, key.expires?.timeIntervalSince1970, key.teamID, key.metadataText,
            key.rpmLimit,
            key.tpmLimit, key.maxParallelRequests, key.budgetDuration, key.budgetResetAt?.timeIntervalSince1970,
            key.mcpPermissionsText,
        ]
    }

    private static func key(from row: Row) throws -> VirtualKey {
        try VirtualKey(
            hash: row["hash"], alias: row["alias"], modelsText: row["models"], maxBudget: row["max_budget"],
            spend: Nanodollars(value: row.storedCount("spend_nanodollars")).dollars,
            expires: (row["expires"] as Double?).map(Date.init(timeIntervalSince1970:)),
            teamID: row["team_id"], metadataText: row["metadata"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), rpmLimit: row["rpm_limit"],
            tpmLimit: row["tpm_limit"],
            maxParallelRequests: row["max_parallel_requests"], budgetDuration: row["budget_duration"],
            budgetResetAt: (row["budget_reset_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            mcpPermissionsText: row["mcp_permissions"])
    }
}
