import Catena
import CatenaTestingServer
import Foundation
import Testing

/// `POST /v1/messages`: Anthropic's Messages API in front of an OpenAI-compatible server.
// Three minutes: the local model server answers slowly while the whole test run loads the machine.
@Suite(.timeLimit(.minutes(3)))
struct MessagesEndpointTests {
    @Test(
        "a plain and a streamed answer from the local model, in Anthropic's shapes",
        .enabled(if: GatewayServerTests.model != nil, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func anthropicRequestsToTheLocalModel() async throws {
        let model = try #require(GatewayServerTests.model)
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: model)) { gateway in
            let request =
                #"{"model":"local","max_tokens":8,"system":"Be brief.","messages":[{"role":"user","content":"Say hi."}]}"#
            let plain = try await gateway.send("/v1/messages", body: request)
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.json["type"] == "message")
            #expect(plain.json["role"] == "assistant")
            #expect(plain.json["content"]?[0]?["type"] == "text")
            #expect(["max_tokens", "end_turn"].contains(plain.json["stop_reason"]?.stringValue ?? ""))
            #expect((plain.json["usage"]?["output_tokens"]?.intValue ?? 0) > 0)

            let streamed = try await gateway.send(
                "/v1/messages",
                body: request.replacingOccurrences(of: #""max_tokens":8"#, with: #""max_tokens":8,"stream":true"#))
            #expect(streamed.status == 200)
            let names = streamed.text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }.map {
                $0.dropFirst(7)
            }
            #expect(names.first == "message_start")
            #expect(names.contains("content_block_delta"))
            #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            let lines = streamed.text.components(separatedBy: "\n")
            let delta = lines[try #require(lines.firstIndex(of: "event: message_delta")) + 1]
            let usage = try JSONValue(parsing: String(delta.dropFirst("data: ".count)))["usage"]
            #expect((usage?["input_tokens"]?.intValue ?? 0) > 0, "\(delta)")
            #expect((usage?["output_tokens"]?.intValue ?? 0) > 0, "\(delta)")

            // count_tokens: the upstream's tokenizer counts the prompt; a longer prompt has more tokens.
            let short = try await gateway.send(
                "/v1/messages/count_tokens", body: #"{"model":"local","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(short.status == 200, "\(short.text)")
            let long = try await gateway.send(
                "/v1/messages/count_tokens",
                body:
                    #"{"model":"local","system":"Be brief.","messages":[{"role":"user","content":"Tell me about the sea and the sky."}]}"#
            )
            let (few, more) = (short.json["input_tokens"]?.intValue ?? 0, long.json["input_tokens"]?.intValue ?? 0)
            #expect(few > 0 && more > few, "\(short.text) \(long.text)")
        }
    }

    @Test func aRefusedKeyAndABadCountRequestAreAnsweredInAnthropicsShape() async throws {
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            for path in ["/v1/messages", "/v1/messages/count_tokens"] {
                let refused = try await gateway.send(
                    path, body: #"{"model":"local","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}"#,
                    key: "sk-wrong")
                #expect(refused.status == 401)
                #expect(refused.json["type"] == "error", "\(refused.text)")
                #expect(refused.json["error"]?["type"] == "authentication_error", "\(refused.text)")
            }
            let bad = try await gateway.send("/v1/messages/count_tokens", body: #"{"model":"local","messages":"Hi"}"#)
            #expect(bad.status == 400)
            #expect(bad.json["type"] == "error", "\(bad.text)")
            #expect(bad.json["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test func toolUseAndToolResultsTranslateBothWays() async throws {
        let upstream = try await FaultServer.start { _, _ in
            FaultServer.json(
                200,
                #"{"id":"chatcmpl-1","model":"fault","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#
            )
        }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            let reply = try await gateway.send(
                "/v1/messages",
                body: """
                    {"model":"local","max_tokens":64,
                     "tools":[{"name":"weather","description":"The weather","input_schema":{"type":"object"}}],
                     "messages":[
                       {"role":"user","content":"Weather in Oslo?"},
                       {"role":"assistant","content":[{"type":"tool_use","id":"toolu_0","name":"weather","input":{"city":"Bergen"}}]},
                       {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0","content":"rain"},{"type":"text","text":"And Oslo?"}]}
                     ]}
                    """)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["stop_reason"] == "tool_use")
            #expect(reply.json["content"]?[0]?["type"] == "tool_use")
            #expect(reply.json["content"]?[0]?["input"] == ["city": "Oslo"])
            #expect(reply.json["usage"]?["input_tokens"] == 9)
            // What went upstream: the tool call and its result as OpenAI's messages.
            let sent = try JSONValue(parsing: try #require(upstream.requests.first).body)
            let roles = sent["messages"]?.arrayValue?.compactMap { $0["role"]?.stringValue }
            #expect(roles == ["user", "assistant", "tool", "user"])
            #expect(sent["messages"]?[1]?["tool_calls"]?[0]?["function"]?["name"] == "weather")
            #expect(sent["messages"]?[2]?["tool_call_id"] == "toolu_0")
            #expect(sent["tools"]?[0]?["function"]?["name"] == "weather")

            let bad = try await gateway.send(
                "/v1/messages", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(bad.status == 400)
            #expect(bad.json["type"] == "error")
            #expect(bad.json["error"]?["type"] == "invalid_request_error")
            #expect(bad.json["error"]?["message"]?.stringValue?.contains("max_tokens") == true)
        }
        try await upstream.shutdown()
    }

    /// An upstream stream: text, then two tool calls (the first's arguments in two pieces), then the usage.
    static let textAndTwoToolCalls: [FaultServer.Action] = {
        let delta = { (json: String) in
            FaultServer.event(#"{"id":"chatcmpl-1","choices":[{"index":0,"delta":\#(json),"finish_reason":null}]}"#)
        }
        return [
            delta(#"{"role":"assistant","content":"Checking."}"#),
            delta(
                #"{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]}"#
            ),
            delta(#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"#),
            delta(#"{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]}"#),
            delta(
                #"{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"time","arguments":"{}"}}]}"#
            ),
            FaultServer.event(
                #"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}"#
            ),
            FaultServer.event("[DONE]"),
        ]
    }()

    @Test func aStreamedAnswerWithTextAndTwoToolCallsBecomesOneBlockEach() async throws {
        let upstream = try await FaultServer.start { _, _ in
            [.head(200, FaultServer.sse)] + Self.textAndTwoToolCalls + [.end]
        }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            let reply = try await gateway.send(
                "/v1/messages",
                body: """
                    {"model":"local","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather and time?"}],
                     "tools":[{"name":"weather","input_schema":{"type":"object"}},{"name":"time","input_schema":{"type":"object"}}]}
                    """)
            #expect(reply.status == 200)
            let events = try reply.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
                try JSONValue(
                    parsing: String(try #require(event.split(separator: "\n").last).dropFirst("data: ".count)))
            }
            let starts = events.filter { $0["type"] == "content_block_start" }
            #expect(starts.map { $0["content_block"]?["type"]?.stringValue ?? "" } == ["text", "tool_use", "tool_use"])
            #expect(starts.map { $0["index"]?.intValue ?? -1 } == [0, 1, 2])
            #expect(starts[1]["content_block"]?["id"] == "call_1" && starts[1]["content_block"]?["name"] == "weather")
            #expect(starts[2]["content_block"]?["name"] == "time")
            let arguments = events.filter { $0["delta"]?["type"] == "input_json_delta" && $0["index"] == 1 }
                .compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined()
            #expect(try JSONValue(parsing: arguments) == ["city": "Oslo"])
            #expect(
                events.filter { $0["type"] == "content_block_stop" }.map { $0["index"]?.intValue ?? -1 } == [0, 1, 2])
            #expect(events.last?["type"] == "message_stop")
            #expect(events.dropLast().last?["delta"]?["stop_reason"] == "tool_use")
        }
        try await upstream.shutdown()
    }

}
