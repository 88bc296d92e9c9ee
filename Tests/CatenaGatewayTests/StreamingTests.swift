import AsyncHTTPClient
import Catena
import CatenaTestingServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Streams pass through chunk by chunk, and a client that goes away stops the upstream request.
@Suite(.timeLimit(.minutes(1)))
struct StreamingTests {
    static let request = #"{"model":"local","messages":[{"role":"user","content":"hi"}],"stream":true}"#

    /// Opens a streamed request to the gateway with `key` and returns its body's reader.
    static func open(_ gateway: RunningGateway, key: String = "sk-master") async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: gateway.baseURL + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: Self.request))
        return try await gateway.http.execute(request, timeout: .seconds(30))
    }

    @Test func eachChunkReachesTheClientBeforeTheUpstreamSendsTheNext() async throws {
        // The upstream holds its second chunk until the client has read the first through the gateway: a gateway
        // that waited for the whole answer would never pass the first on, and the test would run out of time.
        let second = FaultServer.Gate()
        let upstream = try await FaultServer.start { _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("one"), .wait(second), FaultServer.chunk("two"),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            let response = try await Self.open(gateway)
            #expect(response.status == .ok)
            var body = response.body.makeAsyncIterator()
            let first = String(buffer: try #require(try await body.next()))
            #expect(first.contains(#""content":"one""#) && !first.contains("two"))
            second.open()
            var rest = ""
            while let piece = try await body.next() { rest += String(buffer: piece) }
            #expect(rest.contains(#""content":"two""#) && rest.hasSuffix("data: [DONE]\n\n"))
        }
        try await upstream.shutdown()
    }

    @Test func aClientThatGoesAwayMidStreamStopsTheUpstreamRequestAndIsBilledForWhatCame() async throws {
        // The upstream would hold the request open for good: only the gateway can end it.
        let never = FaultServer.Gate()
        let upstream = try await FaultServer.start { _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("one"), FaultServer.chunk(" two"), .wait(never),
                FaultServer.chunk("late"), .end,
            ]
        }
        try await RunningGateway.with(VirtualKeyTests.configuration(upstream: upstream.baseURL)) { gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            let (bothRead, signal) = AsyncStream.makeStream(of: Void.self)
            let reader = Task {
                let response = try await Self.open(gateway, key: key)
                var body = response.body.makeAsyncIterator()
                var text = ""
                while !text.contains(#"" two""#), let piece = try await body.next() { text += String(buffer: piece) }
                signal.yield()
                _ = try await body.next()  // held until the client goes away
            }
            for await _ in bothRead { break }
            reader.cancel()
            while upstream.connectionClosed(afterRequest: 0) == nil { try await Task.sleep(for: .milliseconds(5)) }

            // Billed: the two chunks of text, and the 76-byte request's estimated 19 prompt tokens, at the prices.
            let logs = try await gateway.send("/spend/logs?api_key=\(key)").json
            #expect(logs[0]?["completion_tokens"] == 2 && logs[0]?["prompt_tokens"] == 19, "\(logs)")
            #expect(abs((logs[0]?["spend"]?.doubleValue ?? 0) - 0.000023) < 1e-12)
        }
        try await upstream.shutdown()
    }
}
