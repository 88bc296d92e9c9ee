public import Catena
import Foundation
import Synchronization

/// A connection to one MCP server: its tools as Catena ``MCPTool``s and their calls, its resources and prompts,
/// each request bounded by the configuration's timeout and stopped when the caller is cancelled.
///
/// ```swift
/// let files = try await MCPConnection.connect(
///     MCPServerConfiguration(name: "files", transport: .stdio(["python3", "files_server.py"])))
/// let agent = try Agent(model: chat, tools: try await files.tools())
/// ```
///
/// A server that misbehaves (never answers, exits, answers garbage) fails the request it was making with an
/// ``MCPServerError`` naming the server and the tool, within the timeout; the connection's other calls and the
/// other servers are not affected. When the server says its tools changed (`notifications/tools/list_changed`),
/// the next ``tools()`` lists them again.
///
/// The protocol is spoken here, over transports of Catena's own, rather than through the official Swift SDK's
/// `Client`: that client decodes every string of every answer through a regular expression it compiles each time,
/// and through Foundation's `JSONDecoder` (45% of the gateway's time relaying a call, `perf` on
/// `scripts/mcp-gateway-bench.py`); its stdio transport polls every 10 ms; its HTTP transport cannot read
/// event-stream answers on Linux.
public final class MCPConnection: Sendable {
    /// The protocol version asked for (the server may answer with an earlier one it speaks).
    static let protocolVersion = "2025-11-25"

    /// How the server is reached.
    public let configuration: MCPServerConfiguration
    private let session: MCPSession
    /// The server's process, for a stdio server.
    private let process: Process?
    /// What bounds each request.
    private let clock: any Clock<Duration>
    private let state = Mutex(State())

    private struct State {
        /// The tools last listed (as the server describes them), until the server says they changed.
        var listed: [JSONValue]?
        /// Who hears the progress of each call in flight that asked for it, by progress token.
        var progressListeners: [String: @Sendable (MCPProgress) -> Void] = [:]
    }

    private init(
        configuration: MCPServerConfiguration, session: MCPSession, process: Process?, clock: any Clock<Duration>
    ) {
        self.configuration = configuration
        self.session = session
        self.process = process
        self.clock = clock
    }

    /// Starts (stdio) or reaches (HTTP) the server and initializes the session.
    /// - Throws: ``MCPServerError`` (`unreachable`, `timedOut`) naming the server.
    public static func connect(_ configuration: MCPServerConfiguration) async throws -> MCPConnection {
        try await connect(configuration, clock: ContinuousClock())
    }

    /// ``connect(_:)``, with the requests' timeouts measured on `clock`.
    package static func connect(
        _ configuration: MCPServerConfiguration, clock: any Clock<Duration>
    ) async throws -> MCPConnection {
        let (transport, process) = try MCPTransports.make(for: configuration)
        let session = MCPSession(transport: transport)
        let connection = MCPConnection(configuration: configuration, session: session, process: process, clock: clock)
        process?.terminationHandler = { _ in Task { await session.close() } }
        session.listen { [weak connection] method, params in connection?.notified(method, params) }
        do {
            try await session.start()
            let answer = try await connection.request(
                "initialize",
                [
                    "protocolVersion": .string(protocolVersion), "capabilities": [:],
                    "clientInfo": ["name": "catena", "version": "1.0"],
                ], tool: nil, within: configuration.startupTimeout)
            if let version = answer["protocolVersion"]?.stringValue, let http = transport as? StreamableHTTPTransport {
                http.agreed(on: version)
            }
            try await session.notify("notifications/initialized")
        } catch {
            await connection.close()
            throw connection.startFailure(error)
        }
        return connection
    }

    /// The server's tools (every page), listed once and again after the server says they changed.
    /// - Throws: ``MCPServerError`` naming the server.
    public func tools() async throws -> [MCPTool] {
        try await toolDefinitions().compactMap { MCPTool($0, of: self) }
    }

    /// The server's tools as it describes them (every page): what a gateway relays.
    /// - Throws: ``MCPServerError`` naming the server.
    package func toolDefinitions() async throws -> [JSONValue] {
        if let listed = state.withLock({ $0.listed }) { return listed }
        let tools = try await list("tools/list", "tools")
        state.withLock { $0.listed = tools }
        return tools
    }

    /// Calls the tool `name` with `arguments` (a JSON object); the server's progress notifications for the call go
    /// to `progress`.
    /// - Throws: ``MCPServerError`` naming the server and the tool (a tool that reports an error is a result with
    ///   ``MCPToolResult/isError`` set, not an error); `CancellationError` when the caller is cancelled;
    ///   `CatenaError` (`invalidInput`) for arguments that are not an object.
    public func call(
        _ name: String, arguments: JSONValue, progress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> MCPToolResult {
        MCPToolResult(json: try await relay(name, arguments: arguments, progress: progress))
    }

    /// Calls the tool `name` as ``call(_:arguments:progress:)`` does, and returns the server's result as it sent it:
    /// what a gateway relays.
    package func relay(
        _ name: String, arguments: JSONValue, progress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> JSONValue {
        guard arguments.objectValue != nil || arguments.isNull else {
            throw CatenaError(.invalidInput, "a tool's arguments must be a JSON object, not \(arguments)")
        }
        var params: [String: JSONValue] = ["name": .string(name), "arguments": arguments.isNull ? [:] : arguments]
        let token = progress.map { _ in UUID().uuidString }
        if let token {
            state.withLock { $0.progressListeners[token] = progress }
            params["_meta"] = ["progressToken": .string(token)]
        }
        defer { if let token { state.withLock { _ = $0.progressListeners.removeValue(forKey: token) } } }
        return try await request("tools/call", .object(params), tool: name)
    }

    /// The server's resources (every page).
    /// - Throws: ``MCPServerError`` naming the server.
    public func resources() async throws -> [MCPResource] {
        try await list("resources/list", "resources").compactMap(MCPResource.init(json:))
    }

    /// The contents of the resource at `uri`: text, or bytes (base64).
    /// - Throws: ``MCPServerError`` naming the server (an unknown resource is the server's error).
    public func readResource(_ uri: String) async throws -> [MCPResourceContent] {
        let answer = try await request("resources/read", ["uri": .string(uri)], tool: nil)
        return (answer["contents"]?.arrayValue ?? []).compactMap(MCPResourceContent.init(json:))
    }

    /// The server's prompts (every page).
    /// - Throws: ``MCPServerError`` naming the server.
    public func prompts() async throws -> [MCPPrompt] {
        try await list("prompts/list", "prompts").compactMap(MCPPrompt.init(json:))
    }

    /// The prompt `name` filled in with `arguments`, as Catena messages (text, and images as `data:` URL parts),
    /// ready for a chat model or a prompt template.
    /// - Throws: ``MCPServerError`` naming the server (an unknown prompt, or missing arguments, are the server's
    ///   error).
    public func prompt(_ name: String, arguments: [String: String] = [:]) async throws -> [Message] {
        let answer = try await request(
            "prompts/get", ["name": .string(name), "arguments": .object(arguments.mapValues(JSONValue.string))],
            tool: nil)
        return (answer["messages"]?.arrayValue ?? []).compactMap(MCPContent.message)
    }

    /// Disconnects, and ends the server's process (a stdio server).
    public func close() async {
        await session.close()
        if let process, process.isRunning { process.terminate() }
    }

    /// Every page of the list `method` answers, under `key`.
    private func list(_ method: String, _ key: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        repeat {
            let page = try await request(method, cursor.map { ["cursor": .string($0)] } ?? [:], tool: nil)
            items += page[key]?.arrayValue ?? []
            cursor = page["nextCursor"]?.stringValue
        } while cursor != nil
        return items
    }

    /// A notification of the server's.
    private func notified(_ method: String, _ params: JSONValue) {
        switch method {
        case "notifications/tools/list_changed":
            state.withLock { $0.listed = nil }
        case "notifications/progress":
            guard let token = params["progressToken"]?.stringValue,
                let listener = state.withLock({ $0.progressListeners[token] }),
                let progress = params["progress"]?.doubleValue
            else { return }
            listener(
                MCPProgress(
                    progress: progress, total: params["total"]?.doubleValue, message: params["message"]?.stringValue))
        default:
            break
        }
    }

    /// The server's answer to the request `method`, within `timeout` (the configuration's by default). A request
    /// given up (timed out, or its caller cancelled) is cancelled on the server too, and its late answer ignored.
    /// - Throws: ``MCPServerError`` naming the server and `tool`; `CancellationError`.
    private func request(
        _ method: String, _ params: JSONValue, tool: String?, within timeout: Duration? = nil
    ) async throws -> JSONValue {
        let session = session
        let id = session.makeID()
        do {
            return try await bounded(
                tool: tool, within: timeout ?? configuration.timeout,
                giveUp: {
                    session.abandon(id)
                    try? await session.notify(
                        "notifications/cancelled", ["requestId": .int(id), "reason": "the client gave up"])
                }
            ) { try await session.request(method, params, id: id) }
        } catch {
            throw serverError(error, tool: tool)
        }
    }

    /// `body`'s result, or `timedOut` once `timeout` has passed on the clock. When the timeout passes or the caller
    /// is cancelled first, `body` is cancelled and `giveUp` runs.
    private func bounded<T: Sendable>(
        tool: String?, within timeout: Duration, giveUp: @escaping @Sendable () async -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let (name, clock) = (configuration.name, clock)
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await clock.sleep(for: timeout)
                throw MCPServerError(server: name, tool: tool, reason: .timedOut(timeout))
            }
            do {
                guard let first = try await group.next() else { throw CancellationError() }
                group.cancelAll()
                return first
            } catch {
                group.cancelAll()
                // Only a request still under way is given up (not one the server answered with an error).
                if error is CancellationError || (error as? MCPServerError)?.reason == .timedOut(timeout) {
                    await giveUp()
                }
                throw error
            }
        }
    }

    /// An error while the session opened: the server is `unreachable` (a timeout stays `timedOut`).
    private func startFailure(_ error: any Error) -> any Error {
        let reason: String
        switch (error as? MCPServerError)?.reason {
        case .timedOut?: return error
        case .disconnected?: reason = "the server ended before the session opened"
        case .failed(let why)?, .unreachable(let why)?, .toolError(let why)?: reason = why
        case nil:
            if error is CancellationError { return error }
            reason = "\(error)"
        }
        return MCPServerError(server: configuration.name, reason: .unreachable(reason))
    }

    /// `error` as an ``MCPServerError`` naming the server and `tool`.
    private func serverError(_ error: any Error, tool: String?) -> any Error {
        if error is MCPServerError || error is CancellationError { return error }
        let name = configuration.name
        if error is MCPSessionEnded { return MCPServerError(server: name, tool: tool, reason: .disconnected) }
        return MCPServerError(server: name, tool: tool, reason: .failed("\(error)"))
    }
}
