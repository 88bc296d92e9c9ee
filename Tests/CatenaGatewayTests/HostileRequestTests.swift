import Catena
import CatenaSoak
import CatenaTestingServer
import Foundation
import Testing

/// Mangled requests, hundreds of them, on every endpoint that reads a body: each gets an answer a client library
/// understands (a 4xx in OpenAI's error shape, Anthropic's on `/v1/messages`, or a served answer when the mangling
/// left it valid), never an internal error, and the gateway keeps serving.
@Suite(.timeLimit(.minutes(1)))
struct HostileRequestTests {
    static let valid: [(path: String, body: String)] = [
        (
            "/v1/chat/completions",
            #"{"model":"local","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"ok"}],"max_tokens":4,"temperature":0.5,"stop":["x"],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"response_format":{"type":"json_object"}}"#
        ),
        (
            "/v1/messages",
            #"{"model":"local","max_tokens":4,"system":"be brief","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}"#
        ),
        (
            "/v1/messages/count_tokens",
            #"{"model":"local","system":[{"type":"text","text":"be brief"}],"messages":[{"role":"user","content":"hi"}]}"#
        ),
        ("/v1/completions", #"{"model":"local","prompt":["hi"],"max_tokens":4,"stream":false,"n":1}"#),
        ("/v1/embeddings", #"{"model":"local","input":["a","b"],"encoding_format":"float","dimensions":8}"#),
        (
            "/key/generate",
            #"{"models":["local"],"max_budget":1,"budget_duration":"30d","duration":"1h","rpm_limit":5,"metadata":{"a":1}}"#
        ),
    ]

    /// What replaces a stretch of a body: other JSON types, absurd numbers, broken syntax.
    static let hostile = [
        "null", #""x""#, "[]", "{}", "1e999", "-1", "99999999999999999999999", "true", "-0.0", #"{"":[[[[[]]]]]}"#, ",",
        "}",
        "\"", "\\u0000", "\u{FFFF}", "NaN",
    ]

    /// `body` with one random change: a stretch replaced, cut out or repeated, or the end cut off.
    static func mangle(_ body: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = body
        let start = Int.random(in: 0..<bytes.count, using: &random)
        let end = min(bytes.count, start + Int.random(in: 0...8, using: &random))
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes.replaceSubrange(start..<end, with: Array(hostile.randomElement(using: &random)!.utf8))
        case 1: bytes.removeSubrange(start..<end)
        case 2: bytes.insert(contentsOf: bytes[start..<end], at: end)
        default: bytes.removeSubrange(start...)
        }
        return bytes
    }

    @Test func mangledBodiesGetAClientErrorAndTheGatewayKeepsServing() async throws {
        let upstream = try await FaultServer.start { request, _ in
            request.uri.hasSuffix("/embeddings")
                ? FaultServer.json(
                    200,
                    #"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5]},{"object":"embedding","index":1,"embedding":[0.25]}],"usage":{"prompt_tokens":2,"total_tokens":2}}"#
                )
                : FaultServer.json(200, completionBody("ok"))
        }
        try await RunningGateway.with(VirtualKeyTests.configuration(upstream: upstream.baseURL)) { gateway in
            var random = SplitMix64(seed: 21)
            var statuses: [Int: Int] = [:]
            for round in 0..<800 {
                let (path, body) = Self.valid[round % Self.valid.count]
                let mangled = String(decoding: Self.mangle(Array(body.utf8), &random), as: UTF8.self)
                let reply = try await gateway.send(path, body: mangled)
                statuses[reply.status, default: 0] += 1
                #expect(
                    reply.status < 500 || reply.json["error"]?["code"] == "upstream_error",
                    "\(path) \(mangled) → \(reply.text)")
                if reply.status >= 400 {
                    #expect(
                        reply.json["error"]?["message"]?.stringValue?.isEmpty == false,
                        "\(path) \(mangled) → \(reply.text)")
                }
            }
            #expect(statuses[400, default: 0] > 250, "\(statuses)")  // most manglings break the request
            #expect(try await gateway.send("/v1/chat/completions", body: Self.valid[0].body).status == 200)
        }
        try await upstream.shutdown()
    }
}
