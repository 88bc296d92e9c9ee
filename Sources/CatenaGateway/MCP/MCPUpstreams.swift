import CatenaMCP
import Logging
import Synchronization

/// The MCP servers of `mcp_servers`, each connected when first used: a server that cannot be reached or went away
/// (its process exited) is connected again by the next call that needs it.
final class MCPUpstreams: Sendable {
    /// The servers, longest name first: a tool name is matched against the most specific prefix.
    let servers: [MCPServerConfiguration]
    private let connections = Mutex<[String: Task<MCPConnection, any Error>]>([:])
    private let logger: Logger

    init(_ servers: [MCPServerConfiguration], logger: Logger) {
        self.servers = servers.sorted { $0.name.count > $1.name.count }
        self.logger = logger
    }

    /// The server of the tool `/mcp` names `name` (`server-tool`), and the tool's name there.
    func resolve(_ name: String) -> (server: MCPServerConfiguration, tool: String)? {
        for server in servers where name.hasPrefix(server.name + "-") {
            let tool = name.dropFirst(server.name.count + 1)
            if !tool.isEmpty { return (server, String(tool)) }
        }
        return nil
    }

    /// Runs `body` on the connection to `server` (connecting first when there is none); a connection that could not
    /// be made, or that turns out to be gone, is dropped, so that the next call connects again.
    /// - Throws: ``MCPServerError`` naming the server; what `body` throws.
    func with<T: Sendable>(
        _ server: MCPServerConfiguration, _ body: (MCPConnection) async throws -> T
    ) async throws -> T {
        let task = connections.withLock { tasks in
            if let task = tasks[server.name] { return task }
            let task = Task { try await MCPConnection.connect(server) }
            tasks[server.name] = task
            return task
        }
        let connection: MCPConnection
        do {
            connection = try await task.value
        } catch {
            logger.warning("MCP server \(server.name) could not be reached; the next call tries again: \(error)")
            await drop(task, of: server.name)
            throw error
        }
        do {
            return try await body(connection)
        } catch let error as MCPServerError where error.reason == .disconnected {
            logger.warning("MCP server \(server.name) went away; the next call connects again: \(error)")
            await drop(task, of: server.name)
            throw error
        }
    }

    /// Forgets `task`'s connection (if it is still the server's) and closes it.
    private func drop(_ task: Task<MCPConnection, any Error>, of name: String) async {
        let current = connections.withLock { tasks in
            guard tasks[name] == task else { return false }
            tasks[name] = nil
            return true
        }
        if current, let connection = try? await task.value { await connection.close() }
    }

    /// Closes every connection (ending the stdio servers' processes).
    func close() async {
        let tasks = connections.withLock { tasks in
            defer { tasks = [:] }
            return tasks.values
        }
        for task in tasks {
            if let connection = try? await task.value { await connection.close() }
        }
    }
}
