import Catena
import Foundation
import Hummingbird

/// The admin endpoints for virtual keys and spend, in LiteLLM's shapes; they need the master key.
extension Gateway {
    func addKeyRoutes(to router: Hummingbird.Router<GatewayRequestContext>) {
        router.post("/key/generate") { request, context in try await self.generateKey(request, caller: context.caller) }
        router.get("/key/info") { request, context in try await self.keyInfo(request, caller: context.caller) }
        router.post("/key/update") { request, context in try await self.updateKey(request, caller: context.caller) }
        router.post("/key/delete") { request, context in try await self.deleteKeys(request, caller: context.caller) }
        router.get("/spend/logs") { request, context in try await self.spendLogs(request, caller: context.caller) }
    }

    /// Writes the spend recorded so far, for a route that reads it; after a second (a store that is away or slow)
    /// the route reads what is written.
    private func writePendingSpend() async {
        guard let spend else { return }
        _ = try? await withDeadline(.seconds(1)) { await spend.flush() }
    }

    /// The key store, for the master key only: each operation answers within 5 s, or is a 503.
    private func adminStore(_ caller: Caller) throws(GatewayError) -> any KeyStore {
        guard let store = access.adminStore else {
            throw GatewayError(
                status: .badRequest, message: "virtual keys need a master key (general_settings.master_key)",
                type: "invalid_request_error", param: nil, code: nil)
        }
        guard case .master = caller else {
            throw GatewayError(
                status: .forbidden, message: "only the master key may manage keys", type: "permission_error",
                param: nil,
                code: nil)
        }
        return store
    }

    /// `POST /key/generate`: a new key with `models`, `max_budget`, `budget_duration` (its spend starts again from 0
    /// after each such period), `duration` (`30s`, `10m`, `24h`, `30d`: when it expires), `key_alias`, `team_id`,
    /// `metadata`, `rpm_limit`, `tpm_limit`, `max_parallel_requests`, `mcp_servers` and `mcp_tools` (the MCP servers and
    /// tools, `server-tool`, it may call through `/mcp`). The answer holds the key, the only time it is shown.
    func generateKey(_ request: Request, caller: Caller) async throws -> JSONResponse {
        let store = try adminStore(caller)
        var request = request
        let fields = try RequestFields(body: try await body(of: &request))
        try fields.refuseUnknown(KeySettings.fields)
        let secret = KeyAccess.generate()
        var key = VirtualKey(hash: KeyAccess.hash(of: secret))
        try KeySettings(fields).apply(to: &key, now: access.clock.date())
        try await store.insert(key)
        var answer = key.info.objectValue ?? [:]
        answer["key"] = .string(secret)
        return JSONResponse(.object(answer))
    }

    /// `GET /key/info?key=sk-…`: the key's settings and spend (the spend recorded so far written first, see
    /// `writePendingSpend()`).
    func keyInfo(_ request: Request, caller: Caller) async throws -> JSONResponse {
        let store = try adminStore(caller)
        guard let secret = request.uri.queryParameters["key"].map(String.init) else {
            throw GatewayError.invalidRequest("'key' is required as a query parameter", param: "key")
        }
        await writePendingSpend()
        guard let key = try await store.key(hash: KeyAccess.hash(of: secret)) else { throw GatewayError.unknownKey }
        return JSONResponse(["key": .string(key.hash), "info": key.info])
    }

    /// `POST /key/update`: `key` and the settings to change.
    func updateKey(_ request: Request, caller: Caller) async throws -> JSONResponse {
        let store = try adminStore(caller)
        var request = request
        let fields = try RequestFields(body: try await body(of: &request))
        try fields.refuseUnknown(KeySettings.fields.union(["key"]))
        let hash = KeyAccess.hash(of: try fields.required("key", \.stringValue, "the key, sk-…"))
        guard var key = try await store.key(hash: hash) else { throw GatewayError.unknownKey }
        try KeySettings(fields).apply(to: &key, now: access.clock.date())
        guard try await store.update(key) else { throw GatewayError.unknownKey }
        access.forget(hash)
        return JSONResponse(["key": .string(hash), "info": key.info])
    }

    /// `POST /key/delete` with `keys`: revokes them; answers with the digests of those that existed.
    func deleteKeys(_ request: Request, caller: Caller) async throws -> JSONResponse {
        let store = try adminStore(caller)
        var request = request
        let fields = try RequestFields(body: try await body(of: &request))
        try fields.refuseUnknown(["keys"])
        let secrets = try fields.required("keys", { $0.arrayValue?.compactMap(\.stringValue) }, "an array of keys")
        let deleted = try await store.delete(hashes: secrets.map(KeyAccess.hash(of:)))
        deleted.forEach(access.forget)
        return JSONResponse(["deleted_keys": .array(deleted.map(JSONValue.string))])
    }

    /// `GET /spend/logs?api_key=sk-…` (or its digest): the key's calls, newest first (at most `limit`, 1,000 by
    /// default); with `start_date` and `end_date` (`YYYY-MM-DD`, UTC), its totals per day and model over those days,
    /// which outlive the entries (``DailySpend``).
    func spendLogs(_ request: Request, caller: Caller) async throws -> JSONResponse {
        let store = try adminStore(caller)
        let query = request.uri.queryParameters
        guard let given = query["api_key"].map(String.init) else {
            throw GatewayError.invalidRequest("'api_key' is required as a query parameter", param: "api_key")
        }
        await writePendingSpend()
        let hash = given.hasPrefix("sk-") ? KeyAccess.hash(of: given) : given
        if query["start_date"] != nil || query["end_date"] != nil {
            let (first, last) = (
                try Self.day(query["start_date"], "start_date"), try Self.day(query["end_date"], "end_date")
            )
            return JSONResponse(
                .array(try await store.dailySpend(keyHash: hash, from: first, through: last).map(\.json)))
        }
        let limit = query["limit"].flatMap { Int(String($0)) } ?? 1_000
        return JSONResponse(.array(try await store.spendLogs(keyHash: hash, limit: limit).map(\.json)))
    }

    /// The day a query parameter names, `YYYY-MM-DD`.
    /// - Throws: ``GatewayError`` (400) when it is missing or not such a day.
    private static func day(_ value: Substring?, _ name: String) throws(GatewayError) -> String {
        guard let value,
            let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(String(value))
        else {
            throw .invalidRequest("'\(name)' must be a day, YYYY-MM-DD", param: name)
        }
        return DailySpend.day(of: date)
    }
}

extension GatewayError {
    /// No key has the digest asked for (404).
    static let unknownKey = GatewayError(
        status: .notFound, message: "no such key", type: "invalid_request_error", param: "key", code: nil)
}

/// The key settings `/key/generate` and `/key/update` take.
struct KeySettings {
    static let fields: Set<String> = [
        "models", "max_budget", "duration", "key_alias", "team_id", "metadata", "rpm_limit", "tpm_limit",
        "max_parallel_requests", "budget_duration", "mcp_servers", "mcp_tools",
    ]
    let fields: RequestFields

    init(_ fields: RequestFields) { self.fields = fields }

    /// Sets what the request gives on `key`, its periods starting at `now`.
    func apply(to key: inout VirtualKey, now: Date) throws(GatewayError) {
        if let models = try names("models", "an array of model names") { key.models = models }
        if let servers = try names("mcp_servers", "an array of MCP server names") { key.mcpServers = servers }
        if let tools = try names("mcp_tools", "an array of MCP tool names (server-tool)") { key.mcpTools = tools }
        if let budget = try fields.optional("max_budget", \.doubleValue, "a number") {
            guard budget.isFinite, budget >= 0 else {
                throw .invalidRequest("'max_budget' must be 0 or more", param: "max_budget")
            }
            key.maxBudget = budget
        }
        if let duration = try fields.optional("duration", \.stringValue, "a duration such as 30d") {
            key.expires = now.addingTimeInterval(try Self.seconds(in: duration))
        }
        if let period = try fields.optional("budget_duration", \.stringValue, "a duration such as 30d") {
            let seconds = try Self.seconds(in: period)
            key.budgetDuration = seconds
            key.budgetResetAt = now.addingTimeInterval(seconds)
        }
        if let alias = try fields.optional("key_alias", \.stringValue, "a string") { key.alias = alias }
        if let team = try fields.optional("team_id", \.stringValue, "a string") { key.teamID = team }
        if let metadata = try fields.optional("metadata", \.objectValue, "an object") { key.metadata = metadata }
        if let limit = try limit("rpm_limit") { key.rpmLimit = limit }
        if let limit = try limit("tpm_limit") { key.tpmLimit = limit }
        if let limit = try limit("max_parallel_requests") { key.maxParallelRequests = limit }
    }

    /// A list of names, when given.
    private func names(_ name: String, _ expected: String) throws(GatewayError) -> [String]? {
        try fields.optional(name, { $0.arrayValue?.compactMap(\.stringValue) }, expected)
    }

    /// A limit's value: a whole number, 0 or more.
    private func limit(_ name: String) throws(GatewayError) -> Int? {
        guard let value = try fields.optional(name, \.intValue, "a whole number") else { return nil }
        guard value >= 0 else { throw .invalidRequest("'\(name)' must be 0 or more", param: name) }
        return value
    }

    /// The seconds in `30s`, `10m`, `24h` or `30d`.
    static func seconds(in duration: String) throws(GatewayError) -> TimeInterval {
        guard let seconds = DurationText.seconds(in: duration) else {
            throw .invalidRequest(
                "'duration' must be a number and a unit, s, m, h or d (such as 30d)", param: "duration")
        }
        return seconds
    }
}
