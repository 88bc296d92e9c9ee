import Catena
import Logging
import Synchronization

/// JSON-RPC 2.0 with one MCP server over a transport: each request matched to its answer by id, the server's
/// notifications handed to a handler, and its own requests answered (`ping`; anything else is not supported here).
/// Messages are read with Catena's JSON parser; one that is not JSON-RPC is ignored (its request then times out).
actor MCPSession {
    private let transport: any MCPTransport
    private var onNotification: @Sendable (_ method: String, _ params: JSONValue) async -> Void = { _, _ in }
    private var pending: [Int: PendingAnswer] = [:]
    private nonisolated let lastID = Atomic<Int>(0)
    /// Why the connection ended, once it did: later requests fail with it at once.
    private var ended: (any Error)?
    private let logger = Logger(label: "catena.mcp")

    init(transport: any MCPTransport) {
        self.transport = transport
    }

    /// Hands the server's notifications to `handler` (set it before ``start()``).
    func listen(_ handler: @escaping @Sendable (_ method: String, _ params: JSONValue) async -> Void) {
        onNotification = handler
    }

    /// Starts the transport and reads the server's messages until the connection ends.
    func start() async throws {
        try await transport.start()
        let messages = transport.messages
        Task { [weak self] in
            do {
                for try await message in messages { await self?.handle(message) }
                await self?.end(MCPSessionEnded(reason: nil))
            } catch {
                await self?.end(MCPSessionEnded(reason: "\(error)"))
            }
        }
    }

    /// A new request id.
    nonisolated func makeID() -> Int {
        lastID.add(1, ordering: .relaxed).newValue
    }

    /// The result of the request `method` with `params`, sent with `id`.
    /// - Throws: ``MCPRemoteError`` for the server's error answer; ``MCPSessionEnded`` when the connection ended;
    ///   what the transport throws; `CancellationError` when ``abandon(_:)`` gave it up.
    func request(_ method: String, _ params: JSONValue, id: Int) async throws -> JSONValue {
        if let ended { throw ended }
        try Task.checkCancellation()
        let message: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]
        // Waiting for the answer begins before the message goes: it may come while the send is under way.
        let answer = PendingAnswer()
        pending[id] = answer
        do {
            try await transport.send(message.serializedBytes, expectingAnswer: true)
        } catch {
            pending[id] = nil
            throw error
        }
        return try await withTaskCancellationHandler {
            try await answer.value()
        } onCancel: {
            answer.resolve(.failure(CancellationError()))
        }
    }

    /// Sends the notification `method` with `params`.
    func notify(_ method: String, _ params: JSONValue = [:]) async throws {
        if let ended { throw ended }
        let message: JSONValue = ["jsonrpc": "2.0", "method": .string(method), "params": params]
        try await transport.send(message.serializedBytes, expectingAnswer: false)
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

    private func answer(_ id: Int, with result: Result<JSONValue, any Error>) {
        pending.removeValue(forKey: id)?.resolve(result)
    }

    private func end(_ error: MCPSessionEnded) {
        guard ended == nil else { return }
        ended = error
        let waiting = pending
        pending = [:]
        for answer in waiting.values { answer.resolve(.failure(error)) }
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
            await onNotification(method, fields["params"] ?? [:])
            return
        }
        let reply: JSONValue =
            method == "ping"
            ? ["jsonrpc": "2.0", "id": id, "result": [:]]
            : [
                "jsonrpc": "2.0", "id": id,
                "error": ["code": -32601, "message": .string("method not found: \(method) (Catena's client)")],
            ]
        try? await transport.send(reply.serializedBytes, expectingAnswer: false)
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
struct MCPSessionEnded: Error, CustomStringConvertible {
    /// What ended it, when it failed.
    let reason: String?
    var description: String { "the connection ended" + (reason.map { ": \($0)" } ?? "") }
}
