import Catena
import Hummingbird

/// A JSON-RPC 2.0 request or notification, as `/mcp` receives one in a POST's body.
struct JSONRPCRequest {
    /// The request's id (`nil`: a notification, or a response to a request of ours, which needs no answer).
    let id: JSONValue?
    /// The method, such as `tools/call`.
    let method: String
    /// The parameters (an object; empty when there are none).
    let params: [String: JSONValue]

    /// Reads one message.
    /// - Throws: ``JSONRPCError``: `parseError` for a body that is not JSON, `invalidRequest` for JSON that is not
    ///   one JSON-RPC message (a batch, no method, parameters that are not an object).
    init(body: [UInt8]) throws(JSONRPCError) {
        guard let message = try? JSONValue(parsing: body) else { throw .parseError }
        guard case .object(let fields) = message else {
            throw .invalidRequest(
                "expected one JSON-RPC message, an object (batches are not part of MCP since 2025-06-18)")
        }
        id = fields["id"].flatMap { $0.isNull ? nil : $0 }
        if fields["method"] == nil, fields["result"] != nil || fields["error"] != nil {
            method = ""  // a response (to a request this server never sends)
            params = [:]
            return
        }
        guard let method = fields["method"]?.stringValue else { throw .invalidRequest("'method' must be a string") }
        self.method = method
        switch fields["params"] {
        case nil, .null?: params = [:]
        case .object(let members)?: params = members
        default: throw .invalidRequest("'params' must be an object")
        }
    }
}

/// A JSON-RPC error, as `/mcp` answers it: the standard codes, and ``refused`` for what a key may not do.
struct JSONRPCError: Error, Sendable {
    /// The JSON-RPC error code.
    let code: Int
    /// What went wrong, for a person.
    let message: String

    /// The body is not JSON (-32700).
    static let parseError = JSONRPCError(code: -32700, message: "parse error: the body is not JSON")
    /// The JSON is not a valid request (-32600).
    static func invalidRequest(_ message: String) -> JSONRPCError { JSONRPCError(code: -32600, message: message) }
    /// The method is not served (-32601).
    static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: -32601, message: "method not found: \(method)")
    }
    /// The parameters are wrong, or name a tool that does not exist (-32602).
    static func invalidParams(_ message: String) -> JSONRPCError { JSONRPCError(code: -32602, message: message) }
    /// The server behind the tool failed (-32603).
    static func internalError(_ message: String) -> JSONRPCError { JSONRPCError(code: -32603, message: message) }
    /// The caller's key may not do this now: a tool it may not call, a limit reached, its budget spent (-32001).
    static func refused(_ message: String) -> JSONRPCError { JSONRPCError(code: -32001, message: message) }

    /// The error answering the request `id` (a body that could not be read: 400, else 200 as JSON-RPC answers are).
    func response(id: JSONValue?) -> Response {
        JSONResponse(
            ["jsonrpc": "2.0", "id": id ?? .null, "error": ["code": .int(code), "message": .string(message)]],
            status: code == Self.parseError.code || code == -32600 ? .badRequest : .ok
        ).response
    }
}
