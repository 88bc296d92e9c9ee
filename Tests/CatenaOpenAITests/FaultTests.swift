import Catena
import CatenaOpenAI
import CatenaTestingServer
import CatenaTesting
import Foundation
import Synchronization
import Testing
import CatenaTestServices

/// Faults a real server cannot produce on demand, each with a clear error, one end-or-error callback and no lost
/// event.
@Suite(.timeLimit(.minutes(1))) struct FaultTests {
    /// The end and error events of model runs.
    func endings(_ recorder: RecordingCallbackHandler) -> [String] {
        recorder.hookNames.filter { $0 == "on_llm_end" || $0 == "on_llm_error" }
    }

    @Test func rateLimitHonoursRetryAfterAndReportsTheRetry() async throws {
        let waits = Waits()
        let retry = RetryPolicy(
            maxAttempts: 3, shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false }, sleep: { waits.add($0) })
        try await withFaultServer(
            retry: retry,
            { _, index in
                index == 0
                    ? FaultServer.json(
                        429, #"{"error":{"message":"slow down","type":"rate_limit"}}"#, headers: ["retry-after": "2"])
                    : FaultServer.json(200, completionBody("ok"))
            }
        ) { server, client in
            let recorder = RecordingCallbackHandler()
            let reply = try await ChatVLLM(client: client, model: "m").invoke(
                "hi", config: .init(callbacks: [recorder]))
            #expect(reply.text == "ok")
            #expect(server.requests.count == 2)
            #expect(waits.all == [.seconds(2)])
            #expect(
                recorder.hookNames == [
                    "on_chat_model_start", "on_llm_request", "on_retry", "on_llm_response", "on_llm_end",
                ])
            guard case .retry(let state) = recorder.events[2].payload else { Issue.record("no retry event"); return }
            #expect(state.attempt == 1)
            #expect("\(state.error)".contains("slow down"))
        }
    }

    @Test func serverErrorsAreRetriedThenSurfaceWithTheServerMessage() async throws {
        try await withFaultServer(
            retry: instantRetry,
            { _, _ in
                FaultServer.json(
                    500, #"{"object":"error","message":"engine dead","type":"InternalServerError","code":500}"#)
            }
        ) { server, client in
            let recorder = RecordingCallbackHandler()
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi", config: .init(callbacks: [recorder]))
            } throws: { error in
                guard case .server(500, let message) = error as? ModelServerError else { return false }
                return message == "engine dead"
            }
            #expect(server.requests.count == 3)
            #expect(recorder.hookNames.filter { $0 == "on_retry" }.count == 2)
            #expect(endings(recorder) == ["on_llm_error"])
        }
    }

    @Test func aNotFoundNamesTheURLItCameFrom() async throws {
        try await withFaultServer(
            retry: instantRetry, { _, _ in FaultServer.json(404, #"{"detail":"File Not Found"}"#) }
        ) {
            server, client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi")
            } throws: { error in
                guard case .notFound(let url, let message) = error as? ModelServerError else { return false }
                return url == server.baseURL + "/chat/completions" && message == "File Not Found"
                    && "\(error)".contains("at \(server.baseURL)/chat/completions")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func badRequestIsNotRetriedAndCarriesTheMessage() async throws {
        try await withFaultServer(
            retry: instantRetry,
            { _, _ in
                FaultServer.json(400, #"{"error":{"message":"'messages' is required","type":"invalid_request_error"}}"#)
            }
        ) { server, client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi")
            } throws: { error in
                guard case .badRequest(400, let message) = error as? ModelServerError else { return false }
                return message == "'messages' is required"
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func droppedConnectionMidStreamKeepsThePartialOutputAndIsNotRetried() async throws {
        try await withFaultServer(
            retry: instantRetry,
            { _, _ in
                // The pause lets the client read both chunks before the drop: AsyncHTTPClient reads the body as the
                // consumer asks for it, and when the connection closes first it can drop a part read but not yet asked
                // for (seen once in a loaded full run with a 50 ms pause).
                [
                    .head(200, FaultServer.sse), FaultServer.chunk("Hel"), FaultServer.chunk("lo"),
                    .delay(.milliseconds(500)), .drop,
                ]
            }
        ) { server, client in
            let recorder = RecordingCallbackHandler()
            var received: [String] = []
            await #expect {
                for try await chunk in ChatVLLM(client: client, model: "m").stream(
                    "hi", config: .init(callbacks: [recorder]))
                {
                    received.append(chunk.text)
                }
            } throws: { error in
                guard case .streamInterrupted(let partial, _) = error as? ModelServerError else { return false }
                return partial == "Hello"
            }
            #expect(received == ["Hel", "lo"])
            #expect(server.requests.count == 1)
            #expect(
                recorder.hookNames == [
                    "on_chat_model_start", "on_llm_request", "on_llm_new_token", "on_llm_new_token", "on_llm_error",
                ])
            guard case .llmError(_, let partial) = recorder.events.last?.payload else {
                Issue.record("no error event"); return
            }
            #expect(partial.generations.first?.first?.text == "Hello")
        }
    }

    @Test func malformedSSEIsADecodingErrorWithThePayload() async throws {
        try await withFaultServer({ _, _ in
            [.head(200, FaultServer.sse), FaultServer.chunk("a"), FaultServer.event("{not json"), .end]
        }) { _, client in
            let recorder = RecordingCallbackHandler()
            await #expect {
                try await ChatVLLM(client: client, model: "m").stream("hi", config: .init(callbacks: [recorder]))
                    .collect()
            } throws: { error in
                guard case .decoding(let payload, _) = error as? ModelServerError else { return false }
                return payload == "{not json"
            }
            #expect(endings(recorder) == ["on_llm_error"])
        }
    }

    @Test func errorObjectAfterA200EndsTheStream() async throws {
        try await withFaultServer({ _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("a"),
                FaultServer.event(#"{"error":{"message":"out of memory"}}"#), .end,
            ]
        }) { _, client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").stream("hi").collect()
            } throws: { error in
                guard case .streamError(let message) = error as? ModelServerError else { return false }
                return message == "out of memory"
            }
        }
    }

    @Test func streamEndingWithoutDoneIsInterrupted() async throws {
        try await withFaultServer({ _, _ in [.head(200, FaultServer.sse), FaultServer.chunk("abc"), .end] }) {
            _, client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").stream("hi").collect()
            } throws: { error in
                guard case .streamInterrupted("abc", _) = error as? ModelServerError else { return false }
                return true
            }
        }
    }

    @Test func slowFirstByteTimesOut() async throws {
        let once = RetryPolicy(maxAttempts: 1)
        try await withFaultServer(
            retry: once, readTimeout: .milliseconds(300),
            { _, _ in
                // The answer never comes: only the read timeout ends the call.
                [.wait(FaultServer.Gate())] + FaultServer.json(200, completionBody("late"))
            }
        ) { _, client in
            let recorder = RecordingCallbackHandler()
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi", config: .init(callbacks: [recorder]))
            } throws: { error in
                guard case .timeout = error as? ModelServerError else { return false }
                return true
            }
            #expect(endings(recorder) == ["on_llm_error"])
        }
    }

    @Test func cancellingAStreamEndsTheRunOnce() async throws {
        try await withFaultServer({ _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("a"), .wait(FaultServer.Gate()), FaultServer.chunk("b"),
                .end,
            ]
        }) { _, client in
            let recorder = RecordingCallbackHandler()
            let model = ChatVLLM(client: client, model: "m")
            let task = Task {
                for try await _ in model.stream("hi", config: .init(callbacks: [recorder])) {}
            }
            while !recorder.hookNames.contains("on_llm_new_token") { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            _ = await task.result
            #expect(endings(recorder) == ["on_llm_error"])
        }
    }

    @Test(
        "cancelling the consumer of a stream that keeps coming closes its connection; one error ends the run"
    )
    func cancellingAStreamClosesItsConnectionAtOnce() async throws {
        let endless: [FaultServer.Action] = (0..<3_000).flatMap { _ in
            [FaultServer.chunk("tick"), .delay(.milliseconds(5))]
        }
        // After 15 s of ticks the server would hold the stream open for good: only the client can end it.
        try await withFaultServer({ _, _ in [.head(200, FaultServer.sse)] + endless + [.wait(FaultServer.Gate())] }) {
            server, client in
            let recorder = RecordingCallbackHandler()
            let model = ChatVLLM(client: client, model: "m")
            let task = Task {
                for try await _ in model.stream("hi", config: .init(callbacks: [recorder])) {}
            }
            while recorder.hookNames.filter({ $0 == "on_llm_new_token" }).count < 3 {
                try await Task.sleep(for: .milliseconds(1))
            }
            task.cancel()
            _ = await task.result
            // Only the client's closing ends the connection (how fast is measured in the benchmark, not here).
            while server.connectionClosed(afterRequest: 0) == nil { try await Task.sleep(for: .milliseconds(1)) }
            #expect(endings(recorder) == ["on_llm_error"])
            guard case .llmError(let error, _) = recorder.events.last?.payload else {
                Issue.record("no error event"); return
            }
            #expect(error is CancellationError || (error as? ModelServerError).map { "\($0)" } == "cancelled")
        }
    }

    @Test func requestCarriesSetParametersOnlyWithHeadersAndKey() async throws {
        try await withFaultServer(
            headers: ["x-team": "search"], { _, _ in FaultServer.json(200, completionBody("ok")) }
        ) {
            server, client in
            let model = ChatVLLM(
                client: client, model: "m",
                parameters: .init(temperature: 0, maxTokens: 8, topK: 5, stop: ["END"], seed: 3))
            _ = try await model.bind(stop: ["STOP"]).invoke("hi")
            let request = try #require(server.requests.first)
            #expect(request.uri == "/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-test")
            #expect(request.headers["x-team"] == "search")
            let body = try JSONValue(parsing: request.text)
            #expect(body["model"] == "m")
            #expect(body["temperature"]?.doubleValue == 0)
            #expect(body["max_tokens"] == 8)
            #expect(body["top_k"] == 5)
            #expect(body["seed"] == 3)
            #expect(body["stop"] == ["END", "STOP"])
            #expect(body["messages"] == [["role": "user", "content": "hi"]])
            for unset in ["min_p", "best_of", "use_beam_search", "logit_bias", "stream", "tools", "response_format"] {
                #expect(body[unset] == nil, "\(unset) was sent")
            }
            #expect(!"\(client.configuration)".contains("sk-test"))
        }
    }

    @Test func toolCallFragmentsMergeWithoutRepeatingIdsOrNames() async throws {
        let fragment = { @Sendable (id: String, name: String, arguments: String) in
            FaultServer.event(
                #"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":"\#(arguments)"}}]},"finish_reason":null}]}"#
            )
        }
        try await withFaultServer({ _, _ in
            [
                .head(200, FaultServer.sse), fragment("call_1", "weather", #"{\"ci"#),
                fragment("call_1", "weather", #"ty\": \"Oslo\"}"#),
                FaultServer.event(#"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
                FaultServer.event(
                    #"{"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#),
                FaultServer.event("[DONE]"), .end,
            ]
        }) { server, client in
            let weather = ToolDefinition(
                name: "weather", description: "Weather in a city", parameters: ["type": "object"])
            let model = ChatVLLM(client: client, model: "m").bindingTools([weather], choice: .auto)
            let message = try await model.stream("Weather in Oslo?").aggregate()
            #expect(message.toolCalls.count == 1)
            #expect(message.toolCalls.first?.id == "call_1")
            #expect(message.toolCalls.first?.name == "weather")
            #expect(try message.toolCalls.first?.parsedArguments() == ["city": "Oslo"])
            #expect(message.usage == Usage(inputTokens: 9, outputTokens: 4, totalTokens: 13))
            #expect(message.responseMetadata["finish_reason"] == "tool_calls")
            let body = try JSONValue(parsing: try #require(server.requests.first).text)
            #expect(body["tool_choice"] == "auto")
            #expect(body["tools"]?[0]?["function"]?["name"] == "weather")
            #expect(body["stream_options"] == ["include_usage": true])
        }
    }
}

/// The waits a retry policy was asked for.
final class Waits: Sendable {
    private let waits = Mutex<[Duration]>([])
    func add(_ wait: Duration) { waits.withLock { $0.append(wait) } }
    var all: [Duration] { waits.withLock { $0 } }
}
