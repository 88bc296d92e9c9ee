import Catena
import Logging
import Synchronization

/// JSON-RPC 2.0 with one MCP server over a transport: each request matched to its answer by id, the server's
/// notifications handed to a handler, and its own requests answered (`ping`; anything else is not supported here).
/// Messages are read with Catena's JSON parser; one that is not JSON-RPC is ignored (its request then times out).
///
/// Its state is behind a lock rather than an actor: a call relayed through the gateway's `/mcp` would otherwise
/// wait on the session's queue three times (26% of the gateway's CPU per call, `perf` under
/// `scripts/mcp-gateway-bench.py`).
final class MCPSession: Sendable {
    private struct State {
        var onNotification: @Sendable (_ method: String, _ params: JSONValue) async -> Void = { _, _ in }
        var pending: [Int: PendingAnswer] = [:]
        /// Why the connection ended, once it did: later requests fail with it at once.
        var ended: MCPSessionEnded?
    }

    private let transport: any MCPTransport
    private let state = Mutex(State())
    private let lastID = Atomic<Int>(0)
    private let logger = Logger(label: "catena.mcp")

    init(transport: any MCPTransport) {
        self.transport = transport
    }

    /// Hands the server's notifications to `handler` (set it before ``start()``).
    func listen(_ handler: @escaping @Sendable (_ method: String, _ params: JSONValue) async -> Void) {
        state.withLock { $0.onNotification = handler }
    }

    /// Starts the transport and reads the server's messages until the connection ends.
    func start() async throws {
        try await transport.start()
        let messages = transport.messages
        Task { [weak self] in
            do {
                for try await message in messages { await self?.handle(message) }
                self?.end(MCPSessionEnded(reason: nil))
            } catch {
                self?.end(MCPSessionEnded(reason: "\(error)"))
            }
        }
    }

    /// A new request id.
    func makeID() -> Int {
        lastID.add(1, ordering: .relaxed).newValue
    }

    /// The result of the request `method` with `params`, sent with `id`.
    /// - Throws: ``MCPRemoteError`` for the server's error answer; ``MCPSessionEnded`` when the connection ended;
    ///   what the transport throws; `CancellationError` when ``abandon(_:)`` gave it up.
    func request(_ method: String, _ params: JSONValue, id: Int) async throws -> JSONValue {
        try Task.checkCancellation()
        // Waiting for the answer begins before the message goes: it may come while the send is under way.
        let answer = PendingAnswer()
        let ended = state.withLock { state in
            if state.ended == nil { state.pending[id] = answer }
            return state.ended
        }
        if let ended { throw ended }
        let message: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]
        let reply: [UInt8]?
        do {
            reply = try await transport.send(message.serializedBytes, expectingAnswer: true)
        } catch {
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            throw error
        }
        if let reply { await handle(reply) }
        return try await withTaskCancellationHandler {
            try await answer.value()
        } onCancel: {
            answer.resolve(.failure(CancellationError()))
        }
    }

    /// Sends the notification `method` with `params`.
    func notify(_ method: String, _ params: JSONValue = [:]) async throws {
        if let ended = state.withLock({ $0.ended }) { throw ended }
        let message: JSONValue = ["jsonrpc": "2.0", "method": .string(method), "params": params]
        try await send(message)
    }

    /// Gives up the request `id`: it fails with `CancellationError`, and its answer, if it comes, is ignored.
    func abandon(_ id: Int) {
        answer(id, with: .failure(CancellationError()))
    }

    /// Ends the connection; requests in flight fail.
    func close() async {
        end(MCPSessionEnded(reason: nil))
        await transport.close()
    }

    /// Sends a message that expects no answer; a message the server sends back to it is handled.
    private func send(_ message: JSONValue) async throws {
        if let reply = try await transport.send(message.serializedBytes, expectingAnswer: false) {
            await handle(reply)
        }
    }

    private func answer(_ id: Int, with result: Result<JSONValue, any Error>) {
        state.withLock { $0.pending.removeValue(forKey: id) }?.resolve(result)
    }

    private func end(_ error: MCPSessionEnded) {
        let waiting = state.withLock { state -> [PendingAnswer] in
            guard state.ended == nil else { return [] }
            state.ended = error
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for answer in waiting { answer.resolve(.failure(error)) }
    }

    /// One message of the server's: an answer, a notification or a request of its own.
    private func handle(_ bytes: [UInt8]) async {
        guard let message = try? JSONValue(parsing: bytes), let fields = message.objectValue else {
            logger.debug("an MCP server sent a message that is not a JSON object; ignored")
            return
        }
        let id = fields["id"]
        guard let method = fields["method"]?.stringValue else {
            guard let id = id?.intValue else { return }
            if let error = fields["error"] {
                answer(id, with: .failure(MCPRemoteError(error)))
            } else if let result = fields["result"] {
                answer(id, with: .success(result))
            }
            return
        }
        guard let id else {
            let handler = state.withLock { $0.onNotification }
            await handler(method, fields["params"] ?? [:])
            return
        }
        let reply: JSONValue =
            method == "ping"
            ? ["jsonrpc": "2.0", "id": id, "result": [:]]
            : [
                "jsonrpc": "2.0", "id": id,
                "error": ["code": -32601, "message": .string("method not found: \(method) (Catena's client)")],
            ]
        try? await send(reply)
    }
}

/// The answer to one request: given once, awaited once, in either order.
private final class PendingAnswer: Sendable {
    private enum State {
        case waiting(CheckedContinuation<JSONValue, any Error>?)
        case given(Result<JSONValue, any Error>)
    }

    private let state = Mutex(State.waiting(nil))

    /// Gives the answer (only the first counts).
    func resolve(_ result: Result<JSONValue, any Error>) {
        let waiting: CheckedContinuation<JSONValue, any Error>?? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .given(result)
            return continuation
        }
        if case .some(.some(let continuation)) = waiting { continuation.resume(with: result) }
    }

    /// The answer, once given.
    func value() async throws -> JSONValue {
        try await withCheckedThrowingContinuation { continuation in
            let given: Result<JSONValue, any Error>? = state.withLock { state in
                switch state {
                case .given(let result): return result
                case .waiting: state = .waiting(continuation)
                }
                return nil
            }
            if let given { continuation.resume(with: given) }
        }
    }
}

/// An MCP server's JSON-RPC error answer.
struct MCPRemoteError: Error, CustomStringConvertible {
    let code: Int
    let message: String

    init(_ error: JSONValue) {
        code = error["code"]?.intValue ?? 0
        message = error["message"]?.stringValue ?? error.jsonString
    }

    var description: String { "\(message) (JSON-RPC error \(code))" }
}

/// The connection to an MCP server ended.
struct MCPSessionEnded: Error, CustomStringConvertible, Sendable {
    /// What ended it, when it failed.
    let reason: String?
    var description: String { "the connection ended" + (reason.map { ": \($0)" } ?? "") }
}
