import Catena
import CatenaTestingServer
import Foundation
import Testing

/// `POST /v1/responses`: OpenAI's Responses API in front of an OpenAI-compatible server (the official client's view
/// is in `OpenAIClientTests`).
@Suite(.timeLimit(.minutes(1)))
struct ResponsesEndpointTests {
    @Test func functionCallsAndTheirOutputsTranslateBothWays() async throws {
        let upstream = try await FaultServer.start { _, _ in
            FaultServer.json(
                200,
                #"{"id":"chatcmpl-1","model":"fault","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#
            )
        }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            let reply = try await gateway.send(
                "/v1/responses",
                body: """
                    {"model":"local","instructions":"Be brief.","max_output_tokens":64,
                     "tools":[{"type":"function","name":"weather","description":"The weather","parameters":{"type":"object"}}],
                     "input":[
                       {"role":"user","content":"Weather in Bergen?"},
                       {"type":"function_call","call_id":"call_0","name":"weather","arguments":"{\\"city\\":\\"Bergen\\"}"},
                       {"type":"function_call_output","call_id":"call_0","output":"rain"},
                       {"role":"user","content":[{"type":"input_text","text":"And Oslo?"}]}
                     ]}
                    """)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["object"] == "response" && reply.json["status"] == "completed")
            #expect(reply.json["model"] == "local")
            #expect(reply.json["output"]?[0]?["type"] == "function_call")
            #expect(reply.json["output"]?[0]?["call_id"] == "call_1")
            #expect(reply.json["output"]?[0]?["arguments"] == #"{"city":"Oslo"}"#)
            #expect(reply.json["usage"]?["input_tokens"] == 9 && reply.json["usage"]?["total_tokens"] == 13)
            // What went upstream: the instructions, the call and its output as OpenAI's chat messages.
            let sent = try JSONValue(parsing: try #require(upstream.requests.first).body)
            let roles = sent["messages"]?.arrayValue?.compactMap { $0["role"]?.stringValue }
            #expect(roles == ["system", "user", "assistant", "tool", "user"])
            #expect(sent["messages"]?[2]?["tool_calls"]?[0]?["function"]?["name"] == "weather")
            #expect(sent["messages"]?[3]?["tool_call_id"] == "call_0")
            #expect(sent["tools"]?[0]?["function"]?["name"] == "weather")
            #expect(sent["max_tokens"] == 64)

            for (body, param) in [
                (#"{"model":"local"}"#, "input"),
                (#"{"model":"local","input":[]}"#, "input"),
                (#"{"model":"local","input":"hi","previous_response_id":"resp_1"}"#, "previous_response_id"),
                (#"{"model":"local","input":[{"type":"computer_call"}]}"#, "input[0].type"),
                (#"{"model":"local","input":"hi","max_output_tokens":0}"#, "max_output_tokens"),
                (#"{"model":"local","input":"hi","tools":[{"type":"web_search"}]}"#, "tools[0]"),
            ] {
                let bad = try await gateway.send("/v1/responses", body: body)
                #expect(bad.status == 400, "\(body)")
                #expect(bad.json["error"]?["param"]?.stringValue == param, "\(body): \(bad.text)")
            }
        }
        try await upstream.shutdown()
    }

    @Test func aStreamedAnswerWithTextAndTwoToolCallsBecomesOneItemEach() async throws {
        let upstream = try await FaultServer.start { _, _ in
            [.head(200, FaultServer.sse)] + MessagesEndpointTests.textAndTwoToolCalls + [.end]
        }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            let reply = try await gateway.send(
                "/v1/responses", body: #"{"model":"local","stream":true,"input":"Weather and time?"}"#)
            #expect(reply.status == 200)
            let events = try reply.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
                let lines = event.split(separator: "\n")
                let json = try JSONValue(parsing: String(try #require(lines.last).dropFirst("data: ".count)))
                #expect(lines.first == "event: \(json["type"]?.stringValue ?? "")")
                return json
            }
            #expect(events.map { $0["sequence_number"]?.intValue ?? -1 } == Array(0..<events.count))
            #expect(events.first?["type"] == "response.created")
            let added = events.filter { $0["type"] == "response.output_item.added" }
            #expect(
                added.map { $0["item"]?["type"]?.stringValue ?? "" } == ["message", "function_call", "function_call"])
            #expect(added.map { $0["output_index"]?.intValue ?? -1 } == [0, 1, 2])
            let text = events.filter { $0["type"] == "response.output_text.delta" }.compactMap {
                $0["delta"]?.stringValue
            }.joined()
            #expect(text == "Checking.")
            let arguments = events.filter {
                $0["type"] == "response.function_call_arguments.delta" && $0["output_index"] == 1
            }
            .compactMap { $0["delta"]?.stringValue }.joined()
            #expect(try JSONValue(parsing: arguments) == ["city": "Oslo"])
            #expect(
                events.filter { $0["type"] == "response.output_item.done" }.map { $0["output_index"]?.intValue ?? -1 }
                    == [0, 1, 2])
            let completed = try #require(events.last)
            #expect(completed["type"] == "response.completed")
            #expect(completed["response"]?["output"]?.arrayValue?.count == 3)
            #expect(completed["response"]?["output"]?[1]?["arguments"] == #"{"city":"Oslo"}"#)
            #expect(completed["response"]?["usage"]?["output_tokens"] == 7)
        }
        try await upstream.shutdown()
    }
}
