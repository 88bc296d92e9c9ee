public import Catena
import Foundation
package import MCP

/// A connection to one MCP server (the official Swift SDK's client): its tools as Catena ``MCPTool``s, and their
/// calls, each bounded by the configuration's timeout and stopped when the caller is cancelled.
///
/// ```swift
/// let files = try await MCPConnection.connect(
///     MCPServerConfiguration(name: "files", transport: .stdio(["python3", "files_server.py"])))
/// let agent = try Agent(model: chat, tools: try await files.tools())
/// ```
///
/// A server that misbehaves (never answers, exits, answers garbage) fails the call it was making with an
/// ``MCPServerError`` naming the server and the tool, within the timeout; the connection's other calls and the
/// other servers are not affected. When the server says its tools changed (`notifications/tools/list_changed`),
/// the next ``tools()`` lists them again.
public actor MCPConnection {
    /// How the server is reached.
    public nonisolated let configuration: MCPServerConfiguration
    private let client: Client
    /// The server's process, for a stdio server.
    private let process: Process?
    /// The tools last listed, until the server says they changed.
    private var listed: [MCP.Tool]?
    /// Who hears the progress of each call in flight that asked for it, by progress token.
    private var progressListeners: [String: @Sendable (MCPProgress) -> Void] = [:]

    private init(configuration: MCPServerConfiguration, client: Client, process: Process?) {
        self.configuration = configuration
        self.client = client
        self.process = process
    }

    /// Starts (stdio) or reaches (HTTP) the server and initializes the session.
    /// - Throws: ``MCPServerError`` (`unreachable`, `timedOut`) naming the server.
    public static func connect(_ configuration: MCPServerConfiguration) async throws -> MCPConnection {
        let client = Client(name: "catena", version: "1.0")
        let (transport, process) = try MCPTransports.make(for: configuration)
        let connection = MCPConnection(configuration: configuration, client: client, process: process)
        process?.terminationHandler = { _ in Task { await client.disconnect() } }
        do {
            try await connection.bounded(
                tool: nil, within: configuration.startupTimeout, giveUp: { await connection.close() }
            ) { _ = try await client.connect(transport: transport) }
        } catch {
            await connection.close()
            throw connection.serverError(error, tool: nil, unreachable: true)
        }
        await client.onNotification(ToolListChangedNotification.self) { [weak connection] _ in
            await connection?.forgetTools()
        }
        await client.onNotification(ProgressNotification.self) { [weak connection] message in
            await connection?.report(message.params)
        }
        return connection
    }

    /// The server's tools (every page), listed once and again after the server says they changed.
    /// - Throws: ``MCPServerError`` naming the server.
    public func tools() async throws -> [MCPTool] {
        try await toolDefinitions().map { MCPTool($0, of: self) }
    }

    /// The server's tools as it describes them (every page): what a gateway relays.
    /// - Throws: ``MCPServerError`` naming the server.
    package func toolDefinitions() async throws -> [MCP.Tool] {
        if let listed { return listed }
        var tools: [MCP.Tool] = []
        var cursor: String?
        repeat {
            let page = try await send(ListTools.request(cursor.map { .init(cursor: $0) } ?? .init()), tool: nil)
            tools += page.tools
            cursor = page.nextCursor
        } while cursor != nil
        listed = tools
        return tools
    }

    /// Calls the tool `name` with `arguments` (a JSON object); the server's progress notifications for the call go
    /// to `progress`.
    /// - Throws: ``MCPServerError`` naming the server and the tool (a tool that reports an error is a result with
    ///   ``MCPToolResult/isError`` set, not an error); `CancellationError` when the caller is cancelled.
    public func call(
        _ name: String, arguments: JSONValue, progress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> MCPToolResult {
        MCPToolResult(try await relay(name, arguments: arguments, progress: progress))
    }

    /// Calls the tool `name` as ``call(_:arguments:progress:)`` does, and returns the server's result as the SDK
    /// read it: what a gateway relays.
    package func relay(
        _ name: String, arguments: JSONValue, progress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> CallTool.Result {
        let arguments = try MCPValues.arguments(arguments)
        let token = progress.map { _ in UUID().uuidString }
        if let token { progressListeners[token] = progress }
        defer { if let token { progressListeners[token] = nil } }
        let meta = token.map { Metadata(progressToken: .string($0)) }
        return try await send(CallTool.request(.init(name: name, arguments: arguments, meta: meta)), tool: name)
    }

    /// Disconnects, and ends the server's process (a stdio server).
    public func close() async {
        await client.disconnect()
        if let process, process.isRunning { process.terminate() }
    }

    private func forgetTools() {
        listed = nil
    }

    private func report(_ notification: ProgressNotification.Parameters) {
        guard case .string(let token) = notification.progressToken, let listener = progressListeners[token] else {
            return
        }
        listener(MCPProgress(progress: notification.progress, total: notification.total, message: notification.message))
    }

    /// The server's answer to `request`, within the timeout. A request given up (timed out, or its caller
    /// cancelled) is cancelled on the server too, and its late answer ignored.
    /// - Throws: ``MCPServerError`` naming the server and `tool`; `CancellationError`.
    private func send<M: MCP.Method>(_ request: Request<M>, tool: String?) async throws -> M.Result {
        let sent: RequestContext<M.Result>
        do {
            sent = try await client.send(request)
        } catch {
            throw serverError(error, tool: tool)
        }
        do {
            return try await bounded(
                tool: tool, giveUp: { [client] in try? await client.cancelRequest(sent.requestID, reason: "given up") }
            ) { try await sent.value }
        } catch {
            throw serverError(error, tool: tool)
        }
    }

    /// `body`'s result, or `timedOut` once `timeout` (the configuration's) has passed. When the timeout passes or
    /// the caller is cancelled first, `giveUp` runs, and must end `body`.
    private nonisolated func bounded<T: Sendable>(
        tool: String?, within timeout: Duration? = nil, giveUp: @escaping @Sendable () async -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let timeout = timeout ?? configuration.timeout
        let name = configuration.name
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw MCPServerError(server: name, tool: tool, reason: .timedOut(timeout))
            }
            do {
                guard let first = try await group.next() else { throw CancellationError() }
                group.cancelAll()
                return first
            } catch {
                group.cancelAll()
                await giveUp()
                throw error
            }
        }
    }

    /// `error` as an ``MCPServerError`` naming the server and `tool`.
    private nonisolated func serverError(_ error: any Error, tool: String?, unreachable: Bool = false)
        -> any Error
    {
        if let error = error as? MCPServerError { return error }
        if error is CancellationError { return error }
        let name = configuration.name
        if let error = error as? MCPError {
            switch error {
            case .internalError(let message) where message?.contains("disconnected") == true:
                return MCPServerError(server: name, tool: tool, reason: .disconnected)
            case .connectionClosed:
                return MCPServerError(server: name, tool: tool, reason: .disconnected)
            default:
                break
            }
        }
        if unreachable { return MCPServerError(server: name, tool: tool, reason: .unreachable("\(error)")) }
        return MCPServerError(server: name, tool: tool, reason: .failed("\(error)"))
    }
}
