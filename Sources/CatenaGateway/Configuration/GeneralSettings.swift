public import CatenaOpenAI
public import Foundation

extension GatewayConfiguration {
    /// The gateway's own settings (`general_settings`).
    public struct GeneralSettings: Sendable, Decodable {
        /// The key that every request (and every admin request) must present as `Authorization: Bearer …`;
        /// `nil`: no key is asked for (a gateway for loopback use only).
        public var masterKey: Secret?
        /// The largest request body accepted, in megabytes.
        public var maxRequestSizeMB: Double
        /// The SQLite file holding virtual keys and the spend log, with a master key (`database_path`; default
        /// ``defaultDatabasePath``; its folder is created when missing).
        public var databasePath: String
        /// The PostgreSQL database that holds virtual keys and the spend log instead, shared by replicas
        /// (`database_url`: `postgres://user:password@host:port/database`, usually `os.environ/DATABASE_URL`).
        public var databaseURL: Secret?
        /// Whether requests of keys with a budget are refused (503) while Redis, which counts the replicas' spend,
        /// cannot be reached (`fail_closed_budget_enforcement`, as LiteLLM's). Off by default: each replica then
        /// counts the budgets alone, which keeps traffic flowing but lets replicas together pass a budget.
        public var failClosedBudgetEnforcement: Bool
        /// The most client connections open at once (`max_connections`); further connections wait to be accepted
        /// until one closes, and a warning says so. `nil`: the process's open-file limit less 1,024 files kept for
        /// upstream connections, the database and logs, so that too many clients never exhaust the files.
        public var maxConnections: Int?
        /// Seconds a client connection may stay silent (no request started, or a request's head or body stalled)
        /// before it is closed (`client_idle_timeout`, default 30); a request being answered is never cut.
        public var clientIdleTimeout: Double
        /// How long spend log entries are kept, in seconds (`maximum_spend_logs_retention_period`, such as `30d`, as
        /// LiteLLM's; `nil`: for ever). Older entries are deleted in the background; each day's totals per key and
        /// model stay (`/spend/logs` with `start_date` and `end_date`), and so do the keys' spend and budgets.
        public var spendLogsRetention: TimeInterval?
        /// How often entries past the retention period are deleted (`maximum_spend_logs_retention_interval`, default `1h`).
        public var spendLogsPruneInterval: TimeInterval

        /// Creates settings.
        public init(
            masterKey: Secret? = nil, maxRequestSizeMB: Double = 4, databasePath: String = Self.defaultDatabasePath,
            databaseURL: Secret? = nil, failClosedBudgetEnforcement: Bool = false, maxConnections: Int? = nil,
            clientIdleTimeout: Double = 30, spendLogsRetention: TimeInterval? = nil,
            spendLogsPruneInterval: TimeInterval = 3_600
        ) {
            self.spendLogsRetention = spendLogsRetention
            self.spendLogsPruneInterval = spendLogsPruneInterval
            self.maxConnections = maxConnections
            self.clientIdleTimeout = clientIdleTimeout
            self.masterKey = masterKey
            self.maxRequestSizeMB = maxRequestSizeMB
            self.databasePath = databasePath
            self.databaseURL = databaseURL
            self.failClosedBudgetEnforcement = failClosedBudgetEnforcement
        }

        /// `catena/gateway.sqlite` in the user's data folder: `$XDG_DATA_HOME` or `~/.local/share` on Linux,
        /// `~/Library/Application Support` on macOS (not the working directory, which changes between runs).
        public static var defaultDatabasePath: String {
            let data =
                FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask).first
                ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
            return data.appendingPathComponent("catena/gateway.sqlite").path
        }

        /// The file name earlier versions used in the working directory by default.
        static let legacyDatabasePath = "catena-gateway.sqlite"

        public init(from decoder: any Decoder) throws {
            let section = try decoder.section([
                "master_key", "max_request_size_mb", "database_path", "database_url", "fail_closed_budget_enforcement",
                "max_connections", "client_idle_timeout", "maximum_spend_logs_retention_period",
                "maximum_spend_logs_retention_interval",
            ])
            let defaults = GeneralSettings()
            masterKey = try section.optional("master_key", as: String.self).map { Secret($0) }
            maxRequestSizeMB = try section.optional("max_request_size_mb") ?? defaults.maxRequestSizeMB
            databasePath = try section.optional("database_path") ?? defaults.databasePath
            databaseURL = try section.optional("database_url", as: String.self).map { Secret($0) }
            failClosedBudgetEnforcement = try section.optional("fail_closed_budget_enforcement") ?? false
            maxConnections = try section.optional("max_connections")
            spendLogsRetention = try section.duration("maximum_spend_logs_retention_period")
            spendLogsPruneInterval =
                try section.duration("maximum_spend_logs_retention_interval") ?? defaults.spendLogsPruneInterval
            clientIdleTimeout =
                try section.seconds("client_idle_timeout").flatMap { $0 > 0 ? $0 : nil } ?? defaults.clientIdleTimeout
        }

        /// The body limit in bytes (at least 1 KiB; a huge or invalid setting is capped, never a trap).
        var maxRequestBytes: Int {
            let bytes = maxRequestSizeMB * 1_048_576
            guard bytes.isFinite else { return 1 << 30 }
            return Int(min(max(bytes, 1_024), Double(1 << 30)))
        }
    }
}
