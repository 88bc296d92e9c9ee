import Catena
import CatenaAnthropic
import CatenaOpenAI
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// The Anthropic Messages provider against the fault server: what hosted Anthropic sends that the local server does
/// not (tool use, prompt-cache usage, `error` events, its error shape), and broken streams.
@Suite struct AnthropicFaultTests {
    /// A model over the provider for `client`, which talks to the fault server the Anthropic way.
    func model(_ client: ModelServerClient) -> ProviderChatModel {
        ProviderChatModel(provider: AnthropicMessagesProvider(client: client), model: "claude-test")
    }

    /// Runs `body` with a fault server and a client configured as for Anthropic.
    func withAnthropicServer(
        _ script: @escaping FaultServer.Script, _ body: (FaultServer, ModelServerClient) async throws -> Void
    ) async throws {
        let server = try await FaultServer.start(script)
        defer { Task { try? await server.shutdown() } }
        var configuration = ModelServerConfiguration.anthropic(baseURL: server.baseURL, apiKey: "sk-ant-secret")
        configuration.retry = instantRetry
        try await ModelServerClient.withClient(configuration) { client in try await body(server, client) }
    }

    static let message = #"""
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-test","stop_reason":"tool_use",
         "content":[{"type":"text","text":"Let me look."},
                    {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
         "usage":{"input_tokens":10,"output_tokens":7,"cache_read_input_tokens":100,"cache_creation_input_tokens":20}}
        """#

    @Test func aRateLimitIsRetriedAndTheAnswerCarriesToolUseAndCacheUsage() async throws {
        try await withAnthropicServer({ _, index in
            index == 0
                ? FaultServer.json(
                    429, #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
                    headers: ["retry-after": "0"])
                : FaultServer.json(200, Self.message)
        }) { server, client in
            let recorder = RecordingCallbackHandler()
            let conversation: [Message] = [
                .system("Be brief."), .user("Weather?"),
                .assistant("", toolCalls: [ToolCall(id: "toolu_0", name: "weather", arguments: #"{"city":"Rome"}"#)]),
                .tool("sunny", callID: "toolu_0"), .tool("warm", callID: "toolu_0"),
            ]
            let reply = try await model(client).invoke(.messages(conversation), config: .init(callbacks: [recorder]))
            #expect(reply.text == "Let me look.")
            #expect(reply.toolCalls == [ToolCall(id: "toolu_1", name: "weather", arguments: #"{"city":"Paris"}"#)])
            #expect(
                reply.usage
                    == Usage(
                        inputTokens: 130, outputTokens: 7, cachedInputTokens: 100, cacheCreationInputTokens: 20))
            #expect(
                reply.responseMetadata == ["id": "msg_1", "model_name": "claude-test", "finish_reason": "tool_use"])
            #expect(
                recorder.hookNames == [
                    "on_chat_model_start", "on_llm_request", "on_retry", "on_llm_response", "on_llm_end",
                ])

            let request = try #require(server.requests.last)
            #expect(request.uri == "/v1/messages")
            #expect(request.headers["x-api-key"] == "sk-ant-secret" && request.headers["authorization"] == nil)
            #expect(request.headers["anthropic-version"] == "2023-06-01")
            let body = try JSONValue(parsing: request.body)
            #expect(body["system"] == "Be brief." && body["max_tokens"] == 1024)
            #expect(
                body["messages"] == [
                    ["role": "user", "content": [["type": "text", "text": "Weather?"]]],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "tool_use", "id": "toolu_0", "name": "weather", "input": ["city": "Rome"]]
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "toolu_0", "content": "sunny"],
                            ["type": "tool_result", "tool_use_id": "toolu_0", "content": "warm"],
                        ],
                    ],
                ])
        }
    }

    @Test func aStreamedToolCallMergesAndOutputUsageCountsOnce() async throws {
        let events: [FaultServer.Action] = [
            FaultServer.event(
                #"{"type":"message_start","message":{"id":"msg_2","model":"claude-test","usage":{"input_tokens":5,"output_tokens":1,"cache_creation_input_tokens":3}}}"#,
                named: "message_start"),
            FaultServer.event(#"{"type":"ping"}"#, named: "ping"),
            FaultServer.event(
                #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
                named: "content_block_start"),
            FaultServer.event(
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"On it"}}"#,
                named: "content_block_delta"),
            FaultServer.event(#"{"type":"content_block_stop","index":0}"#, named: "content_block_stop"),
            FaultServer.event(
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"weather","input":{}}}"#,
                named: "content_block_start"),
            FaultServer.event(
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}"#,
                named: "content_block_delta"),
            FaultServer.event(
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Oslo\"}"}}"#,
                named: "content_block_delta"),
            FaultServer.event(
                #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#,
                named: "message_delta"),
            FaultServer.event(#"{"type":"message_stop"}"#, named: "message_stop"),
        ]
        try await withAnthropicServer({ _, _ in [.head(200, FaultServer.sse)] + events + [.end] }) { server, client in
            let chunks = try await model(client).stream("weather?").collect()
            let merged = chunks.dropFirst().reduce(chunks[0], +)
            #expect(merged.text == "On it")
            #expect(merged.toolCalls.map(\.name) == ["weather"])
            #expect(try merged.toolCalls.first?.parsedArguments() == ["city": "Oslo"])
            #expect(merged.toolCalls.first?.id == "toolu_9")
            #expect(merged.usage == Usage(inputTokens: 8, outputTokens: 9, cacheCreationInputTokens: 3))
            #expect(merged.responseMetadata["finish_reason"] == "tool_use")
            #expect(try JSONValue(parsing: server.requests[0].body)["stream"] == true)
        }
    }

    @Test func anErrorEventEndsTheStreamWithTheMessageAndThePartialOutput() async throws {
        try await withAnthropicServer({ _, _ in
            [
                .head(200, FaultServer.sse),
                FaultServer.event(
                    #"{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1,"output_tokens":0}}}"#
                ),
                FaultServer.event(
                    #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hal"}}"#),
                FaultServer.event(
                    #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, named: "error"),
                .end,
            ]
        }) { _, client in
            let recorder = RecordingCallbackHandler()
            await #expect {
                try await model(client).stream("hi", config: .init(callbacks: [recorder])).collect()
            } throws: { error in
                guard case .streamError("Overloaded") = error as? ModelServerError else { return false }
                return true
            }
            guard case .llmError(_, let partial) = recorder.events.last?.payload else {
                Issue.record("no error"); return
            }
            #expect(partial.generations.first?.first?.text == "Hal")
        }
    }

    @Test func aBrokenStreamIsInterruptedAndAMalformedEventIsADecodingError() async throws {
        let text = FaultServer.event(
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"par"}}"#)
        try await withAnthropicServer(brokenStreams(after: text)) { server, client in
            await expectBrokenStreams(model(client), lastEvent: "message_stop")
            #expect(server.requests.count == 3)
        }
    }

    @Test func anErrorResponseIsTypedWithAnthropicsMessage() async throws {
        try await withAnthropicServer({ _, _ in
            FaultServer.json(
                400, #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}"#)
        }) { _, client in
            await #expect {
                try await model(client).invoke("hi")
            } throws: { error in
                guard case .badRequest(400, "max_tokens: too large") = error as? ModelServerError else { return false }
                return true
            }
        }
    }

    @Test func aResponseFormatIsRefusedBeforeAnyRequest() async throws {
        try await withAnthropicServer({ _, _ in FaultServer.json(200, Self.message) }) { server, client in
            var model = model(client)
            model.responseFormat = .jsonObject
            await #expect(throws: CatenaError.self) { try await model.invoke("hi") }
            await #expect(throws: CatenaError.self) { try await model.stream("hi").collect() }
            #expect(server.requests.isEmpty)
        }
    }
}
