import Catena
import CatenaOpenAI
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// The OpenAI Responses provider against the fault server: function calls, reasoning usage, `error` and
/// `response.failed` events, its error shape, and broken streams.
@Suite struct ResponsesFaultTests {
    func model(_ client: ModelServerClient) -> ProviderChatModel {
        ProviderChatModel(provider: OpenAIResponsesProvider(client: client), model: "gpt-test")
    }

    static let response = #"""
        {"id":"resp_1","object":"response","status":"completed","model":"gpt-test",
         "output":[{"type":"reasoning","id":"rs_1","summary":[]},
                   {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
                   {"type":"function_call","call_id":"call_1","name":"weather","arguments":"{\"city\":\"Lima\"}"}],
         "usage":{"input_tokens":20,"output_tokens":15,"total_tokens":35,
                  "input_tokens_details":{"cached_tokens":8},"output_tokens_details":{"reasoning_tokens":6}}}
        """#

    @Test func aRateLimitIsRetriedAndTheAnswerCarriesFunctionCallsAndReasoningUsage() async throws {
        try await withFaultServer(
            retry: instantRetry,
            { _, index in
                index == 0
                    ? FaultServer.json(
                        429, #"{"error":{"message":"slow down","type":"rate_limit_error"}}"#,
                        headers: ["retry-after": "0"])
                    : FaultServer.json(200, Self.response)
            }
        ) { server, client in
            let recorder = RecordingCallbackHandler()
            let conversation: [Message] = [
                .system("Be brief."), .user("Weather?"),
                .assistant("", toolCalls: [ToolCall(id: "call_0", name: "weather", arguments: #"{"city":"Quito"}"#)]),
                .tool("cold", callID: "call_0"),
            ]
            var model = model(client)
            model.tools = [
                ToolDefinition(name: "weather", description: "Weather in a city", parameters: ["type": "object"])
            ]
            model.responseFormat = .jsonObject
            let reply = try await model.invoke(.messages(conversation), config: .init(callbacks: [recorder]))
            #expect(reply.text == "Checking.")
            #expect(reply.toolCalls == [ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Lima"}"#)])
            #expect(reply.usage == Usage(inputTokens: 20, outputTokens: 15, cachedInputTokens: 8, reasoningTokens: 6))
            #expect(
                reply.responseMetadata == ["id": "resp_1", "model_name": "gpt-test", "finish_reason": "tool_calls"])
            #expect(
                recorder.hookNames == [
                    "on_chat_model_start", "on_llm_request", "on_retry", "on_llm_response", "on_llm_end",
                ])

            let request = try #require(server.requests.last)
            #expect(request.uri == "/v1/responses")
            let body = try JSONValue(parsing: request.body)
            #expect(
                body["input"] == [
                    ["role": "system", "content": "Be brief."], ["role": "user", "content": "Weather?"],
                    [
                        "type": "function_call", "call_id": "call_0", "name": "weather",
                        "arguments": #"{"city":"Quito"}"#,
                    ],
                    ["type": "function_call_output", "call_id": "call_0", "output": "cold"],
                ])
            #expect(
                body["tools"] == [
                    [
                        "type": "function", "name": "weather", "description": "Weather in a city",
                        "parameters": ["type": "object"],
                    ]
                ])
            #expect(body["text"] == ["format": ["type": "json_object"]])
        }
    }

    @Test func aStreamedFunctionCallMergesAndTheLastEventCarriesUsage() async throws {
        let events: [FaultServer.Action] = [
            FaultServer.event(
                #"{"type":"response.created","response":{"id":"resp_2","status":"in_progress"}}"#,
                named: "response.created"),
            FaultServer.event(#"{"type":"response.output_text.delta","output_index":0,"delta":"Let"}"#),
            FaultServer.event(#"{"type":"response.output_text.delta","output_index":0,"delta":" me"}"#),
            FaultServer.event(
                #"{"type":"response.output_item.added","output_index":1,"item":{"type":"function_call","call_id":"call_7","name":"weather","arguments":""}}"#
            ),
            FaultServer.event(
                #"{"type":"response.function_call_arguments.delta","output_index":1,"delta":"{\"city\":"}"#),
            FaultServer.event(
                #"{"type":"response.function_call_arguments.delta","output_index":1,"delta":"\"Bern\"}"}"#),
            FaultServer.event(
                #"{"type":"response.completed","response":{"id":"resp_2","model":"gpt-test","status":"completed","usage":{"input_tokens":4,"output_tokens":6,"total_tokens":10}}}"#
            ),
        ]
        try await withFaultServer({ _, _ in [.head(200, FaultServer.sse)] + events + [.end] }) { _, client in
            let chunks = try await model(client).stream("weather?").collect()
            let merged = chunks.dropFirst().reduce(chunks[0], +)
            #expect(merged.text == "Let me")
            #expect(merged.toolCalls.first?.id == "call_7")
            #expect(try merged.toolCalls.first?.parsedArguments() == ["city": "Bern"])
            #expect(merged.usage == Usage(inputTokens: 4, outputTokens: 6))
            #expect(
                merged.responseMetadata == ["id": "resp_2", "model_name": "gpt-test", "finish_reason": "tool_calls"])
        }
    }

    @Test func errorAndFailedEventsEndTheStreamWithTheirMessage() async throws {
        let delta = FaultServer.event(#"{"type":"response.output_text.delta","output_index":0,"delta":"So"}"#)
        try await withFaultServer({ _, index in
            index == 0
                ? [
                    .head(200, FaultServer.sse), delta,
                    FaultServer.event(#"{"type":"error","code":"server_error","message":"boom"}"#), .end,
                ]
                : [
                    .head(200, FaultServer.sse), delta,
                    FaultServer.event(
                        #"{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"model crashed"}}}"#
                    ), .end,
                ]
        }) { _, client in
            let recorder = RecordingCallbackHandler()
            await #expect {
                try await model(client).stream("hi", config: .init(callbacks: [recorder])).collect()
            } throws: { error in
                guard case .streamError("boom") = error as? ModelServerError else { return false }
                return true
            }
            guard case .llmError(_, let partial) = recorder.events.last?.payload else {
                Issue.record("no error"); return
            }
            #expect(partial.generations.first?.first?.text == "So")
            await #expect {
                try await model(client).stream("hi").collect()
            } throws: { error in
                guard case .streamError("model crashed") = error as? ModelServerError else { return false }
                return true
            }
        }
    }

    @Test func aBrokenStreamIsInterruptedAndAMalformedEventIsADecodingError() async throws {
        let text = FaultServer.event(#"{"type":"response.output_text.delta","output_index":0,"delta":"par"}"#)
        try await withFaultServer(retry: instantRetry, brokenStreams(after: text)) { server, client in
            await expectBrokenStreams(model(client), lastEvent: "response.completed")
            #expect(server.requests.count == 3)
        }
    }

    @Test func anIncompleteResponseEndsForLengthAndAFailedOneIsAnError() async throws {
        try await withFaultServer({ _, index in
            index == 0
                ? FaultServer.json(
                    200,
                    #"{"id":"r","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[{"type":"message","content":[{"type":"output_text","text":"Once"}]}]}"#
                )
                : FaultServer.json(200, #"{"id":"r","status":"failed","error":{"message":"no capacity"},"output":[]}"#)
        }) { _, client in
            let reply = try await model(client).invoke("story")
            #expect(reply.text == "Once" && reply.responseMetadata["finish_reason"] == "length")
            await #expect {
                try await model(client).invoke("story")
            } throws: { error in
                guard case .streamError("no capacity") = error as? ModelServerError else { return false }
                return true
            }
        }
    }
}
