import Catena
package import NIOCore
package import NIOHTTP1
import NIOPosix
import Synchronization

/// Kept-alive HTTP/1.1 connections to plain `http://` servers, for whole (not streamed) requests: a request takes
/// an idle connection to its server, on the event loop it runs on when there is one, else opens one there, and
/// gives it back after the response. Against a loopback server it costs about half of AsyncHTTPClient's CPU time a
/// request (`scripts/gateway-bench.sh`: HTTP clients' CPU µs per proxied request), which ``HTTPTransport`` keeps for
/// TLS, streams and traced requests.
package final class HTTP1ConnectionPool: Sendable {
    /// Decides from a response's head whether its body is taken part by part as it arrives, and by what (called on
    /// the connection's event loop, as is what it returns); `nil` keeps the body for the response.
    package typealias PartTaker = @Sendable (HTTPResponseHead) -> (@Sendable (ByteBuffer) -> Void)?

    /// A pool for the process, never shut down (MCP's streamable HTTP servers are reached through it).
    package static let shared = HTTP1ConnectionPool(connectTimeout: .seconds(10))

    /// How many idle connections are kept per server; more are closed as they come back.
    static let idleLimit = 64

    private let connectTimeout: TimeAmount
    private let idle = Mutex<[String: [HTTP1Connection]]>([:])
    private let isShutDown = Atomic<Bool>(false)

    /// A pool whose connections are given up when not connected within `connectTimeout`.
    package init(connectTimeout: Duration) {
        self.connectTimeout = .nanoseconds(connectTimeout.nanoseconds)
    }

    /// Sends `head` (its `Host` and `Content-Length` set here) with `body` to `host:port` and returns the whole
    /// response, its body at most `limit` bytes, within `readTimeout`; `parts` may take the body as it arrives
    /// instead. A kept-alive connection the server closed while it was idle is replaced by a new one once.
    /// Cancelling the task closes the connection.
    /// - Throws: ``HTTP1ClientError`` (also once the pool is shut down), or the connection's error (refused, unreachable, connect timeout).
    package func response(
        to head: HTTPRequestHead, body: ByteBuffer?, host: String, port: Int, limit: Int, readTimeout: Duration,
        parts: PartTaker? = nil
    ) async throws -> HTTP1Response {
        guard !isShutDown.load(ordering: .acquiring) else { throw HTTP1ClientError.shutDown }
        var head = head
        head.headers.replaceOrAdd(name: "host", value: port == 80 ? host : "\(host):\(port)")
        head.headers.replaceOrAdd(name: "content-length", value: String(body?.readableBytes ?? 0))
        let server = "\(host):\(port)"
        let timeout = TimeAmount.nanoseconds(readTimeout.nanoseconds)
        if let reused = takeIdle(server) {
            do {
                return try await exchange(
                    head, body: body, on: reused, server: server, limit: limit, timeout: timeout, parts: parts)
            } catch HTTP1ClientError.closedBeforeResponse(reused: true) {
                // The server closed it while it was idle: a new connection gets the request.
            }
        }
        let fresh = try await connect(host: host, port: port)
        return try await exchange(
            head, body: body, on: fresh, server: server, limit: limit, timeout: timeout, parts: parts)
    }

    /// Closes the idle connections; connections in use close as their requests end.
    func shutdown() {
        isShutDown.store(true, ordering: .releasing)
        let connections = idle.withLock { idle in
            defer { idle = [:] }
            return idle.values.joined()
        }
        for connection in connections { connection.channel.close(promise: nil) }
    }

    private func exchange(
        _ head: HTTPRequestHead, body: ByteBuffer?, on connection: HTTP1Connection, server: String, limit: Int,
        timeout: TimeAmount, parts: PartTaker?
    ) async throws -> HTTP1Response {
        let future = connection.exchange(head, body: body, limit: limit, readTimeout: timeout, parts: parts)
        let response = try await withTaskCancellationHandler {
            try await future.get()
        } onCancel: {
            connection.abandon(with: CancellationError())
        }
        if response.head.isKeepAlive {
            giveBack(connection, server: server)
        } else {
            connection.channel.close(promise: nil)
        }
        return response
    }

    /// An open idle connection to `server`, preferably on the current event loop.
    private func takeIdle(_ server: String) -> HTTP1Connection? {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop
        return idle.withLock { idle in
            guard var connections = idle[server], !connections.isEmpty else { return nil }
            defer { idle[server] = connections }
            connections.removeAll { !$0.channel.isActive }
            if let loop, let index = connections.lastIndex(where: { $0.channel.eventLoop === loop }) {
                return connections.remove(at: index)
            }
            return connections.popLast()
        }
    }

    private func giveBack(_ connection: HTTP1Connection, server: String) {
        let kept =
            !isShutDown.load(ordering: .acquiring)
            && idle.withLock { idle in
                guard idle[server, default: []].count < Self.idleLimit else { return false }
                idle[server, default: []].append(connection)
                return true
            }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// A new connection to `host:port`, on the current event loop when there is one.
    private func connect(host: String, port: Int) async throws -> HTTP1Connection {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTP1ResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: HTTP1ResponseCollector.self),
                eventLoop: channel.eventLoop)
        }.get()
        return HTTP1Connection(channel: channel, collector: collector)
    }
}
