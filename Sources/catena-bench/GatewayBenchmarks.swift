import AsyncHTTPClient
import CatenaGateway
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The gateway's streaming overhead per chunk: a 2,000-chunk stream read straight from the upstream, and the same
/// through an in-process gateway (no keys) in front of it, interleaved; the difference per chunk is what the gateway
/// adds to each (SSE decoding, the completion layer's run events, re-encoding, writing).
nonisolated func runGatewayBenchmarks() async throws -> [Row] {
    let chunks = 2_000
    let upstream = try await FixedResponseServer.start(chunks: chunks)
    let quiet = Logger(label: "bench.gateway") { _ in SwiftLogNoOpLogHandler() }
    let gateway = try Gateway(
        configuration: GatewayConfiguration.load(
            yaml: """
                model_list:
                  - model_name: fake
                    litellm_params: {model: openai/fake, api_base: "\(upstream.baseURL)", api_key: sk-fake}
                """, environment: [:]),
        logger: quiet)
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    let application = gateway.application(port: 0) { port in bound.yield(port) }
    let services = ServiceGroup(configuration: .init(services: gateway.services + [application], logger: quiet))
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let rows = try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the gateway did not start") }
        let stream = { @Sendable (url: String) in
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(
                ByteBuffer(string: #"{"model":"fake","messages":[{"role":"user","content":"hi"}],"stream":true}"#))
            let response = try await http.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 64 << 20)
        }
        let measured = try await measureInterleaved(
            [
                (
                    "stream of \(chunks) chunks straight from the upstream",
                    { try await stream(upstream.baseURL + "/chat/completions") }
                ),
                (
                    "the same stream through the gateway",
                    { try await stream("http://127.0.0.1:\(port)/v1/chat/completions") }
                ),
            ], operations: 10)
        await services.triggerGracefulShutdown()
        try await tasks.waitForAll()
        let perChunk = (measured[1].median - measured[0].median) / Double(chunks)
        return measured + [
            Row(
                operation: "gateway streaming overhead per chunk", median: perChunk, min: perChunk, max: perChunk,
                unit: "us",
                note: "(through - straight) / \(chunks); target ≤ 2 µs")
        ]
    }
    try await http.shutdown()
    try await upstream.shutdown()
    return rows
}
