import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import Testing

/// A chat completions request to a deployment that speaks Chat Completions is relayed: the caller's body goes on
/// with the deployment's model name, the answer's bytes come back as they are, and the key pays the same.
@Suite(.timeLimit(.minutes(1)))
struct RelayedRequestTests {
    @Test func theBodyGoesOnAndTheAnswerComesBackByteForByteAndIsBilled() async throws {
        let answer = completionBody("ok").replacingOccurrences(
            of: #""model":"fault","#, with: #""model":"fault","service_tier":"flex","#)
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, answer) }
        let configuration = VirtualKeyTests.configuration(upstream: upstream.baseURL).replacingOccurrences(
            of: "model: hosted_vllm/local", with: "model: hosted_vllm/private-7b")
        try await RunningGateway.with(configuration) { gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            let body = #"{"model":"local", "messages":[{"role":"user","content":"hi"}], "user":"u-7", "seed":3}"#
            let reply = try await gateway.send("/v1/chat/completions", body: body, key: key)
            #expect(reply.status == 200)
            #expect(reply.text == answer)
            #expect(reply.contentType == "application/json")
            #expect(upstream.requests.map(\.text) == [body.replacingOccurrences(of: "local", with: "private-7b")])
            let info = try await gateway.send("/key/info?key=\(key)")
            #expect(abs((info.json["info"]?["spend"]?.doubleValue ?? 0) - 0.000009) < 1e-12)
        }
        try await upstream.shutdown()
    }

    @Test(arguments: [false, true])
    func aStreamIsRelayedEventByEventWithTheUsageOnlyWhenAskedAndIsBilled(includeUsage: Bool) async throws {
        let upstream = try await FaultServer.start(answering("ok"))
        let configuration = VirtualKeyTests.configuration(upstream: upstream.baseURL).replacingOccurrences(
            of: "model: hosted_vllm/local", with: "model: hosted_vllm/private-7b")
        try await RunningGateway.with(configuration) { gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            let body =
                #"{"model":"local","messages":[{"role":"user","content":"hi"}],"stream":true,"user":"u-7""#
                + (includeUsage ? #","stream_options":{"include_usage":true}}"# : "}")
            let reply = try await gateway.send("/v1/chat/completions", body: body, key: key)
            #expect(reply.status == 200)
            let usage =
                #"data: {"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
            let chunk =
                #"data: {"id":"chatcmpl-1","model":"fault","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}"#
            #expect(
                reply.text
                    == ([chunk] + (includeUsage ? [usage] : []) + ["data: [DONE]", ""]).joined(separator: "\n\n"))
            // The deployment is asked for the usage either way: the key pays for the tokens.
            let sent = try #require(upstream.requests.first.map { try JSONValue(parsing: $0.body) })
            #expect(sent["model"] == "private-7b" && sent["user"] == "u-7")
            #expect(sent["stream_options"] == ["include_usage": true])
            let info = try await gateway.send("/key/info?key=\(key)")
            #expect(abs((info.json["info"]?["spend"]?.doubleValue ?? 0) - 0.000009) < 1e-12)
        }
        try await upstream.shutdown()
    }
}
