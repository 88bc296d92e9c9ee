import AsyncHTTPClient
import Catena
import NIOCore
import Synchronization
import Tracing

/// One AsyncHTTPClient connection pool with its connect and read timeouts: what a ``ModelServerClient`` sends its
/// requests through. A client made on its own owns one; clients made by a completion provider share one per
/// pair of timeouts, whatever their keys, headers and retries (which go with each request).
package final class HTTPTransport: Sendable {
    /// The connection pool.
    let http: HTTPClient
    /// The `https://` servers (`host:port`) found to speak TLS, which the TLS check no longer probes.
    let speaksTLS = Mutex<Set<String>>([])

    /// Opens a pool with these timeouts.
    package init(connectTimeout: Duration, readTimeout: Duration) {
        var configuration = HTTPClient.Configuration(
            timeout: .init(
                connect: .nanoseconds(connectTimeout.nanoseconds), read: .nanoseconds(readTimeout.nanoseconds)))
        // AsyncHTTPClient traces each request with the tracer in place when its span starts (``CurrentTracer``).
        // Without one at all, the no-op tracer's span still costs time on every request (it parses the URL again to
        // set attributes nobody reads); no tracer skips that (`catena-bench http`, the loopback request rows).
        configuration.tracing.tracer = configuration.tracing.tracer is NoOpTracer ? nil : CurrentTracer()
        // A refused connection fails the attempt at once; the retry policy alone decides about another (AsyncHTTPClient
        // would otherwise keep trying to connect until the connect timeout, inside each attempt).
        configuration.connectionPool.retryConnectionEstablishment = false
        // Up to 64 connections per server, as the proxy floor (`../shared/peers/swift-proxy-floor`) has: with
        // AsyncHTTPClient's default of 8, the gateway's 16 callers queued for connections (`scripts/gateway-bench.sh`).
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the pool. Requests in flight fail.
    package func shutdown() async throws {
        try await http.shutdown()
    }
}
