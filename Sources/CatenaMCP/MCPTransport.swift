/// How JSON-RPC messages reach one MCP server and come back: the server's process's pipes (``PipeTransport``) or
/// streamable HTTP (``StreamableHTTPTransport``).
protocol MCPTransport: Sendable {
    /// The server's messages, each one JSON-RPC message's bytes, until the connection ends (an error, or the end
    /// when the server went away).
    var messages: AsyncThrowingStream<[UInt8], any Error> { get }
    /// Starts reading the server's messages.
    func start() async throws
    /// Sends one message: a request (`expectingAnswer`), or a notification or a reply, which a transport may give
    /// up on after a short wait (a server that stopped answering must not hold the caller). Returns the server's
    /// message when it came back as the reply to this one (a JSON answer over HTTP) rather than through
    /// ``messages``: the session handles it at once, without a trip through the stream.
    func send(_ message: [UInt8], expectingAnswer: Bool) async throws -> [UInt8]?
    /// Ends the connection (and the messages).
    func close() async
}
