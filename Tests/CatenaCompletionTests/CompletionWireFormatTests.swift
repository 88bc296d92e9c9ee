import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// `completion` over providers that do not speak Chat Completions: their answers come back in the OpenAI shape,
/// tool calls, finish reasons and usage translated, hooks fired once each.
@Suite("Completion over other wire formats", .timeLimit(.minutes(1)))
struct CompletionWireFormatTests {
    static let anthropicAnswer = #"""
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","stop_reason":"tool_use",
         "content":[{"type":"text","text":"Checking"},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}],
         "usage":{"input_tokens":10,"output_tokens":4,"cache_read_input_tokens":6}}
        """#

    @Test("anthropic/…: the Messages answer as a chat completion, with the key in x-api-key and cached tokens priced")
    func anthropicAnswer() async throws {
        try await withServer({ _, _ in FaultServer.json(200, Self.anthropicAnswer) }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let options = CompletionOptions(
                apiBase: server.baseURL, apiKey: "sk-ant-1234567890",
                price: ModelPrice(inputCostPerToken: 1, outputCostPerToken: 2, cachedInputCostPerToken: 0.5))
            let response = try await llm.completion(model: "anthropic/claude-x", messages: hi, options: options)
            #expect(response.text == "Checking")
            #expect(response.id == "msg_1" && response.model == "claude-x" && response.object == "chat.completion")
            let choice = try #require(response.choices.first)
            #expect(choice.finishReason == "tool_calls")
            #expect(choice.message?.toolCalls?.first?.function?.name == "weather")
            #expect(choice.message?.toolCalls?.first?.function?.arguments == #"{"city":"Oslo"}"#)
            #expect(response.usage == WireUsage(promptTokens: 16, completionTokens: 4, cachedTokens: 6))
            await llm.flush()
            #expect(recorder.hooks == ["pre", "post", "success"])
            let request = try #require(server.requests.first)
            #expect(request.uri == "/v1/messages" && request.headers["x-api-key"] == "sk-ant-1234567890")
            let success = try #require(recorder.payloads("success").first)
            #expect(success.provider == "anthropic" && success.rawResponse?.contains("tool_use") == true)
            #expect(success.requestBody == request.text)
            // 10 uncached × 1 + 6 cached × 0.5 + 4 × 2
            #expect(success.responseCost == 21)
            try await llm.shutdown()
        }
    }

    @Test("a streamed Anthropic answer arrives as chat completion chunks whose last usage is the total")
    func anthropicStream() async throws {
        let events: [FaultServer.Action] = [
            FaultServer.event(
                #"{"type":"message_start","message":{"id":"msg_2","model":"claude-x","usage":{"input_tokens":7,"output_tokens":1}}}"#
            ),
            FaultServer.event(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#),
            FaultServer.event(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}"#),
            FaultServer.event(
                #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}"#),
            FaultServer.event(#"{"type":"message_stop"}"#),
        ]
        try await withServer({ _, _ in [.head(200, FaultServer.sse)] + events + [.end] }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let chunks = try await llm.streamingCompletion(
                model: "anthropic/claude-x", messages: hi, options: .init(apiBase: server.baseURL)
            ).collect()
            #expect(chunks.map(\.text).joined() == "Hello")
            #expect(chunks.first?.choices.first?.delta?.role == "assistant")
            #expect(chunks.allSatisfy { $0.object == "chat.completion.chunk" })
            await llm.flush()
            let success = try #require(recorder.payloads("success").first)
            #expect(success.completeStreamingResponse?.text == "Hello")
            #expect(success.completeStreamingResponse?.choices.first?.finishReason == "stop")
            #expect(success.usage == WireUsage(promptTokens: 7, completionTokens: 3))
            #expect(recorder.hooks.filter { $0 == "success" }.count == 1)
            try await llm.shutdown()
        }
    }

    @Test("openai/responses/…: the Responses API of the same server, answered in the OpenAI shape")
    func responsesRoute() async throws {
        let answer =
            #"{"id":"resp_1","status":"completed","model":"gpt-x","output":[{"type":"message","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4,"output_tokens_details":{"reasoning_tokens":1}}}"#
        try await withServer({ _, _ in FaultServer.json(200, answer) }) { server in
            let llm = makeClient()
            let response = try await llm.completion(
                model: "openai/responses/gpt-x", messages: hi, options: .init(apiBase: server.baseURL, apiKey: "sk-1"))
            #expect(response.text == "Hi" && response.choices.first?.finishReason == "stop")
            #expect(response.usage?.completionTokensDetails?.reasoningTokens == 1)
            let request = try #require(server.requests.first)
            #expect(request.uri == "/v1/responses" && request.headers["authorization"] == "Bearer sk-1")
            #expect(try JSONValue(parsing: request.body)["model"] == "gpt-x")
            try await llm.shutdown()
        }
    }

    @Test("what a wire format cannot express fails the call once, before anything is sent")
    func unexpressibleRequest() async throws {
        try await withServer({ _, _ in FaultServer.json(200, Self.anthropicAnswer) }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            await #expect(throws: CatenaError.self) {
                try await llm.completion(
                    model: "anthropic/claude-x", messages: hi,
                    options: .init(responseFormat: .jsonObject, apiBase: server.baseURL))
            }
            await llm.flush()
            #expect(recorder.hooks == ["failure"])
            #expect(server.requests.isEmpty)
            try await llm.shutdown()
        }
    }
}
