import AsyncHTTPClient
import Catena
import CatenaAnthropic
import CatenaCompletion
import CatenaGateway
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing
import Tracing

/// A gateway serving on a free loopback port for the duration of a test, and a client to call it.
struct RunningGateway {
    let baseURL: String
    let http: HTTPClient

    /// Runs `body` with a gateway for `yaml` (a configuration) whose keys read the time from `clock`, then shuts it
    /// down gracefully.
    static func with<T: Sendable>(
        _ yaml: String, environment: [String: String] = [:], keyStore: (any KeyStore)? = nil,
        tracer: (any Tracer)? = nil, clock: GatewayClock = .system, _ body: (RunningGateway) async throws -> T
    ) async throws -> T {
        let gateway = try Gateway(
            configuration: GatewayConfiguration.load(yaml: yaml, environment: environment),
            providers: .standard().registering(ModelServerProvider.anthropic()), keyStore: keyStore, clock: clock,
            logger: Logger(label: "catena.gateway"))
        let bound = BoundPort()
        let application = gateway.application(port: 0) { port in bound.set(port) }
        let group = ServiceGroup(
            configuration: .init(services: gateway.services + [application], logger: Logger(label: "test.gateway")))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Catena's GenAI metrics go to the gateway's registry, for this gateway's tasks only.
            tasks.addTask {
                try await withMetricsFactory(gateway.metricsFactory) {
                    if let tracer {
                        try await withTracer(tracer) { try await group.run() }
                    } else {
                        try await group.run()
                    }
                }
            }
            defer { tasks.cancelAll() }
            let port = try await bound.wait()
            do {
                let result = try await body(RunningGateway(baseURL: "http://127.0.0.1:\(port)", http: http))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                try await http.shutdown()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await http.shutdown()
                throw error
            }
        }
    }

    /// A reply: status, headers and the whole body.
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var contentType: String? { header("content-type") }
        func header(_ name: String) -> String? { headers.first(name: name) }
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    }

    /// Sends a request to `path` with `body` (JSON text) and `key` as bearer token, waiting at most `timeout` (which
    /// includes AsyncHTTPClient's retries of a refused connection). Two minutes by default: the local model server
    /// took over 30 s for one short answer while the whole test run loaded the machine.
    func send(
        _ path: String, body: String? = nil, key: String? = "sk-master", timeout: Duration = .seconds(120)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = body == nil ? .GET : .POST
        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// Waits until `/health/readiness` says the gateway can serve, for at most `patience`: a `catena serve` process
    /// prints its address before its database is connected and migrated, which takes longer on a loaded machine.
    func ready(patience: Duration = .seconds(60)) async throws {
        let started = ContinuousClock.now
        var last: Reply?
        while ContinuousClock.now - started < patience {
            last = try? await send("/health/readiness", key: nil, timeout: .seconds(10))
            if last?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("not ready within \(patience): \(last?.text ?? "no answer")")
    }
}

extension HTTPClient {
    /// The JSON a GET of `url` answers.
    func get(_ url: String) async throws -> JSONValue {
        let response = try await execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return try JSONValue(parsing: Array(try await response.body.collect(upTo: 1 << 20).readableBytesView))
    }
}

/// The port a server bound, once it says.
final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)

    func set(_ value: Int) { port.withLock { $0 = value } }

    func wait() async throws -> Int {
        for _ in 0..<500 {
            if let port = port.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}
