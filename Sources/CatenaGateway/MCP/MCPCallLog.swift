import Catena
import Foundation

/// One call of an MCP tool through `/mcp`, from its start: counted in `/metrics` when it ends
/// (`catena_gateway_mcp_calls_total` by server, tool and outcome, and its duration), and written to the spend log
/// when a virtual key made it (with its server, tool, duration and status; it costs nothing).
struct MCPCallLog {
    /// How a call ended.
    enum Outcome: String {
        /// The tool answered.
        case success
        /// The tool answered with an error of its own (`isError`).
        case toolError = "tool_error"
        /// The call failed: the server timed out, went away or answered with an error.
        case failure
        /// The key may not call the tool, reached a limit, or spent its budget.
        case refused
    }

    /// The tool's name at `/mcp` (`server-tool`).
    let name: String
    let server: String
    let tool: String
    /// The tool's label in the metrics: its name, or `unlisted` when the server could not list its tools (a name
    /// no server vouched for must not become a series).
    private var metricsTool: String
    let caller: Caller
    let spend: SpendWriter?
    let metrics: GatewayMetrics
    private let started = Date()
    private let clockStart = ContinuousClock.now

    init(name: String, server: String, tool: String, caller: Caller, spend: SpendWriter?, metrics: GatewayMetrics) {
        self.name = name
        self.server = server
        self.tool = tool
        metricsTool = tool
        self.caller = caller
        self.spend = spend
        self.metrics = metrics
    }

    /// Marks the call as one of a tool its server did not list.
    mutating func unlisted() {
        metricsTool = "unlisted"
    }

    /// Counts the call as ended with `outcome`, and logs it for a virtual key.
    func finish(_ outcome: Outcome) {
        metrics.mcpCallEnded(server: server, tool: metricsTool, outcome: outcome.rawValue, after: .now - clockStart)
        guard case .key(let key) = caller, let spend else { return }
        spend.record(
            SpendLogEntry(
                requestID: UUID.unique().uuidString, keyHash: key.hash, teamID: key.teamID, model: "mcp/\(name)",
                promptTokens: 0, completionTokens: 0, spend: 0, startTime: started, endTime: Date(),
                mcpTool: SpendLogEntry.MCPToolName(server: server, tool: tool),
                status: outcome == .success ? .success : .failure))
    }
}
