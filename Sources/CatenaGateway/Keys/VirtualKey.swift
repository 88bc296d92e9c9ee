public import Catena
public import Foundation

/// A virtual key: what a caller may use and spend. The key itself is never stored, only its SHA-256 digest
/// (``hash``): the gateway makes a key, shows it once, and from then on finds it by its digest.
public struct VirtualKey: Sendable, Hashable {
    /// The hex SHA-256 digest of the key: how it is found and how it is named in spend logs.
    public var hash: String
    /// A name for people (`key_alias`).
    public var alias: String?
    /// The models the key may use (empty: every model).
    public var models: [String]
    /// The most the key may spend, in US dollars (`nil`: no limit).
    public var maxBudget: Double?
    /// What the key has spent so far, in US dollars.
    public var spend: Double
    /// When the key stops working (`nil`: never).
    public var expires: Date?
    /// The team the key belongs to.
    public var teamID: String?
    /// Free-form data about the key.
    public var metadata: [String: JSONValue]
    /// When it was made.
    public var createdAt: Date
    /// The most requests per minute (`nil`: no limit).
    public var rpmLimit: Int?
    /// The most tokens (prompt and generated) per minute (`nil`: no limit).
    public var tpmLimit: Int?
    /// The most requests at once (`nil`: no limit).
    public var maxParallelRequests: Int?
    /// How often the spend starts again from 0, in seconds (`budget_duration`; `nil`: never).
    public var budgetDuration: TimeInterval?
    /// When the spend next starts again from 0.
    public var budgetResetAt: Date?
    /// The MCP servers (of `mcp_servers`) whose tools the key may call through `/mcp` (empty: every server).
    public var mcpServers: [String]
    /// The MCP tools the key may call, by the names `/mcp` gives them (`server-tool`; empty: every tool of the
    /// servers it may use).
    public var mcpTools: [String]

    /// Creates a key record.
    public init(
        hash: String, alias: String? = nil, models: [String] = [], maxBudget: Double? = nil, spend: Double = 0,
        expires: Date? = nil, teamID: String? = nil, metadata: [String: JSONValue] = [:], createdAt: Date = Date(),
        rpmLimit: Int? = nil, tpmLimit: Int? = nil, maxParallelRequests: Int? = nil,
        budgetDuration: TimeInterval? = nil,
        budgetResetAt: Date? = nil, mcpServers: [String] = [], mcpTools: [String] = []
    ) {
        self.hash = hash
        self.alias = alias
        self.models = models
        self.maxBudget = maxBudget
        self.spend = spend
        self.expires = expires
        self.teamID = teamID
        self.metadata = metadata
        self.createdAt = createdAt
        self.rpmLimit = rpmLimit
        self.tpmLimit = tpmLimit
        self.maxParallelRequests = maxParallelRequests
        self.budgetDuration = budgetDuration
        self.budgetResetAt = budgetResetAt
        self.mcpServers = mcpServers
        self.mcpTools = mcpTools
    }

    /// The key's next budget period when the current one ended by `now`: spend 0, and the reset moved on by whole
    /// periods past `now` (at least a second on, whatever the stored period). `nil` while the period runs (or
    /// without periods).
    public func budgetReset(at now: Date) -> VirtualKey? {
        guard let duration = budgetDuration, duration > 0, let resetAt = budgetResetAt, resetAt <= now else {
            return nil
        }
        var next = self
        let periods = ((now.timeIntervalSince(resetAt) / duration).rounded(.down) + 1)
        let reset = resetAt.addingTimeInterval(min(periods * duration, 1e10))
        next.budgetResetAt = reset > now ? reset : now.addingTimeInterval(1)
        next.spend = 0
        return next
    }

    /// Whether the key may use `model`.
    public func allows(_ model: String) -> Bool { models.isEmpty || models.contains(model) }

    /// Whether the key may use the MCP server `server` (some of its tools, at least).
    public func allowsMCPServer(_ server: String) -> Bool { mcpServers.isEmpty || mcpServers.contains(server) }

    /// Whether the key may call the MCP tool `tool` (as `/mcp` names it, `server-tool`) of `server`.
    public func allowsMCPTool(_ tool: String, of server: String) -> Bool {
        allowsMCPServer(server) && (mcpTools.isEmpty || mcpTools.contains(tool))
    }

    /// The key as `/key/info` shows it (LiteLLM's field names; the digest, never the key).
    var info: JSONValue {
        var info: [String: JSONValue] = [
            "token": .string(hash), "models": .array(models.map(JSONValue.string)), "spend": .double(spend),
            "metadata": .object(metadata), "created_at": .string(ISO8601DateFormatter().string(from: createdAt)),
        ]
        info["key_alias"] = alias.map(JSONValue.string) ?? .null
        info["max_budget"] = maxBudget.map(JSONValue.double) ?? .null
        info["expires"] = expires.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null
        info["team_id"] = teamID.map(JSONValue.string) ?? .null
        info["rpm_limit"] = rpmLimit.map(JSONValue.int) ?? .null
        info["tpm_limit"] = tpmLimit.map(JSONValue.int) ?? .null
        info["max_parallel_requests"] = maxParallelRequests.map(JSONValue.int) ?? .null
        info["budget_duration"] = budgetDuration.map(JSONValue.double) ?? .null
        info["budget_reset_at"] = budgetResetAt.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null
        info["mcp_servers"] = .array(mcpServers.map(JSONValue.string))
        info["mcp_tools"] = .array(mcpTools.map(JSONValue.string))
        return .object(info)
    }
}

/// One call's spend, as the spend log keeps it.
public struct SpendLogEntry: Sendable, Hashable {
    /// The call's id.
    public var requestID: String
    /// The key's digest.
    public var keyHash: String
    /// The key's team, if any.
    public var teamID: String?
    /// The public model name asked for.
    public var model: String
    /// Prompt and generated tokens.
    public var promptTokens: Int
    /// Generated tokens.
    public var completionTokens: Int
    /// What the call cost, in US dollars (0 for an answer from the cache).
    public var spend: Double
    /// When the call started and ended.
    public var startTime: Date
    /// When the call ended.
    public var endTime: Date
    /// The MCP tool called, for a call through `/mcp` (`nil`: a model call).
    public var mcpTool: MCPToolName?
    /// Whether the call succeeded.
    public var status: Status

    /// Whether a call succeeded.
    public enum Status: String, Sendable, Hashable {
        /// It answered.
        case success
        /// It failed: refused, timed out, its server failed, or (an MCP tool) the tool reported an error.
        case failure
    }

    /// An MCP tool, as a spend log entry names it.
    public struct MCPToolName: Sendable, Hashable {
        /// The server's name in `mcp_servers`.
        public var server: String
        /// The tool's name on its server.
        public var tool: String

        /// Creates a name.
        public init(server: String, tool: String) {
            self.server = server
            self.tool = tool
        }
    }

    /// Creates an entry.
    public init(
        requestID: String, keyHash: String, teamID: String?, model: String, promptTokens: Int, completionTokens: Int,
        spend: Double, startTime: Date, endTime: Date, mcpTool: MCPToolName? = nil, status: Status = .success
    ) {
        self.requestID = requestID
        self.keyHash = keyHash
        self.teamID = teamID
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.spend = spend
        self.startTime = startTime
        self.endTime = endTime
        self.mcpTool = mcpTool
        self.status = status
    }

    /// The entry as `/spend/logs` shows it.
    var json: JSONValue {
        var json: [String: JSONValue] = [
            "request_id": .string(requestID), "api_key": .string(keyHash),
            "team_id": teamID.map(JSONValue.string) ?? .null,
            "model": .string(model), "prompt_tokens": .int(promptTokens), "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens &+ completionTokens), "spend": .double(spend),
            "startTime": .string(ISO8601DateFormatter().string(from: startTime)),
            "endTime": .string(ISO8601DateFormatter().string(from: endTime)),
            "call_type": .string(mcpTool == nil ? "completion" : "call_mcp_tool"), "status": .string(status.rawValue),
        ]
        json["mcp_server"] = mcpTool.map { .string($0.server) } ?? .null
        json["mcp_tool"] = mcpTool.map { .string($0.tool) } ?? .null
        return .object(json)
    }
}

extension SpendLogEntry.MCPToolName {
    /// The name a store read: `nil` unless both columns hold one (a model call's entry).
    init?(server: String?, tool: String?) {
        guard let server, let tool else { return nil }
        self.init(server: server, tool: tool)
    }
}

extension SpendLogEntry.Status {
    /// The status a store read (`success` for what an earlier version wrote, or anything unknown).
    init(stored: String?) {
        self = stored.flatMap(Self.init(rawValue:)) ?? .success
    }
}

extension VirtualKey {
    /// The allowed models as the stores keep them: a JSON array.
    var modelsText: String { JSONValue.array(models.map(JSONValue.string)).jsonString }
    /// The metadata as the stores keep it: a JSON object.
    var metadataText: String { JSONValue.object(metadata).jsonString }
    /// The MCP servers and tools the key may use as the stores keep them: a JSON object.
    var mcpPermissionsText: String {
        JSONValue.object([
            "servers": .array(mcpServers.map(JSONValue.string)), "tools": .array(mcpTools.map(JSONValue.string)),
        ]).jsonString
    }

    /// A key read from a store, its models and metadata in the stores' JSON text.
    /// - Throws: When either text is not JSON.
    init(
        hash: String, alias: String?, modelsText: String, maxBudget: Double?, spend: Double, expires: Date?,
        teamID: String?,
        metadataText: String, createdAt: Date, rpmLimit: Int?, tpmLimit: Int?, maxParallelRequests: Int?,
        budgetDuration: TimeInterval?, budgetResetAt: Date?, mcpPermissionsText: String?
    ) throws {
        let mcp = try mcpPermissionsText.map { try JSONValue(parsing: $0) }
        self.init(
            hash: hash, alias: alias,
            models: try JSONValue(parsing: modelsText).arrayValue?.compactMap(\.stringValue) ?? [],
            maxBudget: maxBudget, spend: spend, expires: expires, teamID: teamID,
            metadata: try JSONValue(parsing: metadataText).objectValue ?? [:], createdAt: createdAt, rpmLimit: rpmLimit,
            tpmLimit: tpmLimit, maxParallelRequests: maxParallelRequests, budgetDuration: budgetDuration,
            budgetResetAt: budgetResetAt, mcpServers: mcp?["servers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            mcpTools: mcp?["tools"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
