import AsyncHTTPClient
import Catena
import NIOCore
import NIOHTTP1
import Synchronization

/// Kept-alive HTTP/1.1 connections to plain `http://` servers, for whole requests: what a model server on the same
/// host or network is called through when no tracer is in place. AsyncHTTPClient was about 45% of the gateway's
/// building blocks' own CPU per request (`../shared/peers/swift-proxy-floor` with this pool in its place used 55% of
/// its CPU); this pool does only what such a call needs.
///
/// Idle connections are kept per server (up to ``idleLimit`` each, for at most ``idleTimeout``, or a second less than
/// the `Keep-Alive: timeout` the server announced), dropped when the server closes them, and never used after an
/// answer saying `Connection: close`. A request on a connection that had answered before, which closes before any
/// answer, went out as the server was closing the idle connection: it is sent again on another connection. Any other
/// failure is the caller's, whose retry policy decides.
final class HTTP1ConnectionPool: Sendable {
    /// A server connections go to.
    struct Server: Hashable, Sendable {
        let host: String
        let port: Int
    }

    private struct Idle {
        let channel: any Channel
        let expires: NIODeadline
    }

    private struct State {
        var idle: [Server: [Idle]] = [:]
        var isShutDown = false
    }

    /// How many idle connections are kept per server.
    static let idleLimit = 64
    /// How long an idle connection is kept when the server does not say how long it waits.
    static let idleTimeout: Duration = .seconds(60)
    /// The longest answer body accepted.
    static let bodyLimit = 64 << 20

    private let state = Mutex(State())
    private let connectTimeout: Duration
    private let readTimeout: Duration

    init(connectTimeout: Duration, readTimeout: Duration) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }

    /// Sends a request to `target` and returns its whole answer (within the read timeout and ``bodyLimit``).
    /// - Throws: AsyncHTTPClient's errors where they say what happened (`readTimeout`, `remoteConnectionClosed`,
    ///   `alreadyShutdown`), NIO's for a connection that cannot be made, `NIOTooManyBytesError` for a body too long.
    func execute(
        _ method: HTTPMethod, _ target: PlainHTTPTarget, headers: HTTPHeaders, body: [UInt8]?
    ) async throws -> HTTP1Response {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.uri, headers: headers)
        head.headers.replaceOrAdd(name: "host", value: target.hostHeader)
        if let body { head.headers.replaceOrAdd(name: "content-length", value: "\(body.count)") }
        let bodyBuffer = body.map { ByteBuffer(bytes: $0) }
        while true {
            let connection = try await checkOut(target.server)
            do {
                let response = try await connection.exchange(
                    head, body: bodyBuffer, bodyLimit: Self.bodyLimit, timeout: readTimeout)
                checkIn(connection.channel, to: target.server, after: response)
                return response
            } catch HTTP1ExchangeError.closedBeforeAnswer where connection.reused {
                continue  // each pass drops one idle connection: at the latest a new one answers or fails
            } catch HTTP1ExchangeError.closedBeforeAnswer {
                throw HTTPClientError.remoteConnectionClosed
            }
        }
    }

    /// Closes the idle connections; later requests fail with `alreadyShutdown`, and connections in use close when
    /// their answer is in.
    func shutdown() {
        let idle = state.withLock { state in
            state.isShutDown = true
            defer { state.idle = [:] }
            return state.idle.values.joined().map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }

    /// The most recently used idle connection to `server` that is still open and not expired, else a new one.
    private func checkOut(_ server: Server) async throws -> HTTP1Connection {
        let now = NIODeadline.now()
        let (reusable, stale) = try state.withLock { state throws -> ((any Channel)?, [any Channel]) in
            guard !state.isShutDown else { throw HTTPClientError.alreadyShutdown }
            var stale: [any Channel] = []
            while let idle = state.idle[server]?.popLast() {
                if idle.expires > now, idle.channel.isActive { return (idle.channel, stale) }
                stale.append(idle.channel)
            }
            return (nil, stale)
        }
        for channel in stale { channel.close(promise: nil) }
        if let reusable { return HTTP1Connection(channel: reusable, reused: true) }
        do {
            return try await HTTP1Connection.open(to: server, connectTimeout: connectTimeout)
        } catch ChannelError.connectTimeout {
            throw HTTPClientError.connectTimeout
        }
    }

    /// Keeps `channel` for the next request to `server`, unless the answer or the pool says otherwise.
    private func checkIn(_ channel: any Channel, to server: Server, after response: HTTP1Response) {
        let (keeps, serverTimeout) = response.keepAlive
        let lifetime = serverTimeout.map { min($0 - .seconds(1), Self.idleTimeout) } ?? Self.idleTimeout
        let kept =
            keeps && lifetime > .zero
            && state.withLock { state in
                guard !state.isShutDown, state.idle[server, default: []].count < Self.idleLimit else { return false }
                let expires = NIODeadline.now() + .nanoseconds(Int64(clamping: lifetime.nanoseconds))
                state.idle[server, default: []].append(Idle(channel: channel, expires: expires))
                return true
            }
        if !kept { channel.close(promise: nil) }
    }
}
