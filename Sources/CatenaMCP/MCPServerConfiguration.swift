public import Foundation

/// How to reach one MCP server, and how long its calls may take.
///
/// ```swift
/// let files = MCPServerConfiguration(name: "files", transport: .stdio(["python3", "files_server.py"]))
/// let search = MCPServerConfiguration(name: "search", transport: .http(URL(string: "http://127.0.0.1:9000/mcp")!))
/// ```
public struct MCPServerConfiguration: Sendable {
    /// How the server is reached.
    public enum Transport: Sendable {
        /// A process started with `command` (the program, then its arguments; found on `PATH`), spoken to over its
        /// standard input and output; `environment` is added to this process's.
        case stdio(_ command: [String], environment: [String: String] = [:])
        /// A server at `url`, spoken to over streamable HTTP.
        case http(URL)
    }

    /// The server's name: in errors, and in the names a gateway prefixes its tools with.
    public var name: String
    /// How the server is reached.
    public var transport: Transport
    /// How long listing tools and each call may take before they fail.
    public var timeout: Duration
    /// How long starting the server (a stdio server's process) and opening the session may take.
    public var startupTimeout: Duration

    /// Creates a configuration: each call may take `timeout` (30 s by default), starting `startupTimeout` (60 s:
    /// an interpreter's server can take seconds to start on a busy machine).
    public init(
        name: String, transport: Transport, timeout: Duration = .seconds(30), startupTimeout: Duration = .seconds(60)
    ) {
        self.name = name
        self.transport = transport
        self.timeout = timeout
        self.startupTimeout = startupTimeout
    }
}
