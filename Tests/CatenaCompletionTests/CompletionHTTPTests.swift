import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// `completion` over HTTP against a scripted server: the exact body, raw response, retries, errors and streams.
@Suite("Completion over HTTP", .timeLimit(.minutes(1)))
struct CompletionHTTPTests {
    @Test("the payload carries the exact body sent, the raw response, the masked key, and parameters pass through")
    func exactRequestAndResponse() async throws {
        try await withServer(answering("Hello")) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let options = CompletionOptions(
                parameters: SamplingParameters(temperature: 0, maxTokens: 7, topK: 3), apiBase: server.baseURL,
                apiKey: "sk-test-1234567890", headers: ["x-team": "search"])
            let response = try await llm.completion(model: "openai/gpt-4o-mini", messages: hi, options: options)
            #expect(response.text == "Hello")
            await llm.flush()
            let request = try #require(server.requests.first)
            #expect(request.uri == "/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-test-1234567890")
            #expect(request.headers["x-team"] == "search")
            let sent = try JSONDecoder().decode(JSONValue.self, from: Data(request.body))
            #expect(sent["model"] == "gpt-4o-mini")
            #expect(sent["max_tokens"] == 7)
            #expect(sent["top_k"] == 3)
            #expect(sent["stream"] == nil)
            let success = try #require(recorder.payloads("success").first)
            #expect(success.requestBody == request.text)
            #expect(success.rawResponse == completionBody("Hello"))
            #expect(success.apiBase == server.baseURL)
            #expect(success.maskedAPIKey == "sk-…7890")
            #expect(success.modelParameters["max_tokens"] == 7)
            // 5 × $0.15/M + 2 × $0.6/M
            #expect(abs((success.responseCost ?? 0) - 1.95e-06) < 1e-15)
            let json = String(decoding: try JSONEncoder().encode(success), as: UTF8.self)
            #expect(!json.contains("1234567890"))
            #expect(
                json.contains(#""call_id""#) && json.contains(#""response_cost""#) && json.contains(#""request_body""#))
            try await llm.shutdown()
        }
    }

    @Test("a 429 with Retry-After is retried and the call succeeds; one pre, post and success")
    func retriesRateLimit() async throws {
        let script: FaultServer.Script = { _, index in
            index == 0
                ? FaultServer.json(429, #"{"error":{"message":"slow down"}}"#, headers: ["retry-after": "0"])
                : FaultServer.json(200, completionBody("ok"))
        }
        try await withServer(script) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let response = try await llm.completion(
                model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
            #expect(response.text == "ok")
            #expect(server.requests.count == 2)
            await llm.flush()
            #expect(recorder.hooks == ["pre", "post", "success"])
            #expect(recorder.payloads("success").first?.responseCost == 0)
            try await llm.shutdown()
        }
    }

    @Test(
        "a server error fails the call with a typed error; the failure hook gets its type and message; maxRetries applies"
    )
    func serverError() async throws {
        try await withServer({ _, _ in FaultServer.json(500, #"{"error":{"message":"GPU on fire"}}"#) }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            await #expect(throws: ModelServerError.self) {
                try await llm.completion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL, maxRetries: 1))
            }
            #expect(server.requests.count == 2)
            await llm.flush()
            #expect(recorder.hooks == ["pre", "failure"])
            let failure = try #require(recorder.payloads("failure").first)
            #expect(failure.status == .failure)
            #expect(failure.error?.type == "ModelServerError.server")
            #expect(failure.error?.message.contains("GPU on fire") == true)
            try await llm.shutdown()
        }
    }

    @Test("invalid JSON in a 200 response is a decoding error carrying the payload")
    func invalidJSON() async throws {
        try await withServer({ _, _ in FaultServer.json(200, "{not json") }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            do {
                _ = try await llm.completion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
                Issue.record("expected a decoding error")
            } catch ModelServerError.decoding(let payload, _) {
                #expect(payload == "{not json")
            }
            await llm.flush()
            #expect(recorder.hooks == ["pre", "post", "failure"])
            #expect(recorder.payloads("failure").first?.rawResponse == "{not json")
            try await llm.shutdown()
        }
    }

    @Test("a stream over SSE: chunks forwarded, tool-call fragments and usage assembled for success")
    func streamOverSSE() async throws {
        let script: FaultServer.Script = { _, _ in
            [
                .head(200, FaultServer.sse),
                FaultServer.event(
                    #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#),
                FaultServer.event(#"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]}"#),
                FaultServer.event(
                    #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"search","arguments":"{\"q\":"}}]}}]}"#
                ),
                FaultServer.event(
                    #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"swift\"}"}}]},"finish_reason":"tool_calls"}]}"#
                ),
                FaultServer.event(
                    #"{"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":6,"total_tokens":10}}"#
                ),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        try await withServer(script) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let chunks = try await llm.streamingCompletion(
                model: "hosted_vllm/m", messages: hi,
                options: .init(apiBase: server.baseURL, price: .init(inputCostPerToken: 1, outputCostPerToken: 2))
            ).collect()
            #expect(chunks.count == 5)
            let sent = try JSONDecoder().decode(JSONValue.self, from: Data(try #require(server.requests.first).body))
            #expect(sent["stream"] == true)
            #expect(sent["stream_options"] == ["include_usage": true])
            await llm.flush()
            #expect(recorder.hooks == ["pre", "chunk", "chunk", "chunk", "chunk", "chunk", "post", "success"])
            let success = try #require(recorder.payloads("success").first)
            let message = try #require(success.completeStreamingResponse?.choices.first?.message)
            #expect(message.content == "Hello")
            #expect(message.toolCalls?.first?.id == "call_1")
            #expect(message.toolCalls?.first?.function?.name == "search")
            #expect(message.toolCalls?.first?.function?.arguments == #"{"q":"swift"}"#)
            #expect(success.completeStreamingResponse?.choices.first?.finishReason == "tool_calls")
            #expect(success.usage?.totalTokens == 10)
            let expectedCost: Double = 4 * 1 + 6 * 2
            #expect(success.responseCost == expectedCost)
            try await llm.shutdown()
        }
    }

    @Test("a stream cut off mid-way fails once with the partial response; malformed SSE fails with the payload")
    func brokenStreams() async throws {
        let dropped: FaultServer.Script = { _, _ in
            [.head(200, FaultServer.sse), FaultServer.chunk("Hel"), .delay(.milliseconds(20)), .drop]
        }
        try await withServer(dropped) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            var received = ""
            do {
                for try await chunk in llm.streamingCompletion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
                {
                    received += chunk.text
                }
                Issue.record("expected the stream to fail")
            } catch ModelServerError.streamInterrupted(let partial, _) {
                #expect(partial == "Hel")
            }
            #expect(received == "Hel")
            await llm.flush()
            #expect(recorder.hooks == ["pre", "chunk", "failure"])
            #expect(recorder.payloads("failure").first?.completeStreamingResponse?.text == "Hel")
            try await llm.shutdown()
        }
        let malformed: FaultServer.Script = { _, _ in [.head(200, FaultServer.sse), FaultServer.event("{oops"), .end] }
        try await withServer(malformed) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            await #expect(throws: ModelServerError.self) {
                try await llm.streamingCompletion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL)
                ).collect()
            }
            await llm.flush()
            #expect(recorder.hooks == ["pre", "failure"])
            #expect(recorder.payloads("failure").first?.error?.type == "ModelServerError.decoding")
            try await llm.shutdown()
        }
    }

    @Test("cancelling the caller cancels the request and logs one failure")
    func cancellation() async throws {
        let slow: FaultServer.Script = { _, _ in [.delay(.seconds(5))] + FaultServer.json(200, completionBody("late")) }
        try await withServer(slow) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let task = Task {
                try await llm.completion(model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: (any Error).self) { try await task.value }
            await llm.flush()
            #expect(recorder.hooks == ["pre", "failure"])
            try await llm.shutdown()
        }
    }
}
