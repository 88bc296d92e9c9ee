/// Why an MCP server could not do what was asked: each error names the server, and the tool when there was one.
public struct MCPServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The server could not be started or reached.
        case unreachable(String)
        /// The server did not answer within the timeout.
        case timedOut(Duration)
        /// The server's process ended, or the connection closed.
        case disconnected
        /// The server answered with a JSON-RPC error.
        case failed(String)
        /// The tool ran and reported an error (`isError`): its text.
        case toolError(String)
    }

    /// The server's name.
    public var server: String
    /// The tool, when the error is about one.
    public var tool: String?
    /// What went wrong.
    public var reason: Reason

    /// Creates an error.
    public init(server: String, tool: String? = nil, reason: Reason) {
        self.server = server
        self.tool = tool
        self.reason = reason
    }

    public var description: String {
        let subject = tool.map { "tool '\($0)' of MCP server '\(server)'" } ?? "MCP server '\(server)'"
        return switch reason {
        case .unreachable(let why): "\(subject) cannot be reached: \(why)"
        case .timedOut(let timeout): "\(subject) did not answer within \(timeout)"
        case .disconnected: "\(subject): the server went away (its process ended or the connection closed)"
        case .failed(let message): "\(subject) failed: \(message)"
        case .toolError(let text): "\(subject) reported an error: \(text)"
        }
    }
}
