import Catena
import CatenaOpenAI
import CatenaTestingServer
import CatenaTesting
import Testing
import CatenaTestServices

/// Server features a loopback server imitates: vLLM's tokenize shape, the model list, streaming switches.
@Suite struct ServerFeatureTests {
    @Test func vLLMTokenizeShapeIsDetected() async throws {
        try await withFaultServer({ request, _ in
            request.uri == "/tokenize"
                ? FaultServer.json(200, #"{"count":3,"max_model_len":4096,"tokens":[1,2,3]}"#)
                : FaultServer.json(404, "{}")
        }) { server, client in
            let count = try await client.tokenize("a b c", model: "m")
            #expect(count == TokenCount(tokens: [1, 2, 3], count: 3, maxModelLength: 4096, isEstimate: false))
            let probe = try JSONValue(parsing: try #require(server.requests.first).text)
            #expect(probe == ["model": "m", "prompt": "hello"])
        }
    }

    @Test func serverWithoutTokenizeGivesAnEstimate() async throws {
        try await withFaultServer(retry: instantRetry, { _, _ in FaultServer.json(404, #"{"detail":"Not Found"}"#) }) {
            _, client in
            let count = try await client.tokenize("twelve chars", model: "m")
            #expect(count.isEstimate)
            #expect(count.count == 3)
        }
    }

    @Test func aServerNotReachedYetIsProbedAgainNextTime() async throws {
        // The first call's probe (three attempts) loses its connection each time; then llama.cpp's shape answers.
        try await withFaultServer(
            retry: instantRetry,
            { request, index in
                guard index >= 3 else { return [.drop] }
                return request.text.contains("content")
                    ? FaultServer.json(200, #"{"tokens":[5,6]}"#) : FaultServer.json(200, #"{"tokens":[]}"#)
            }
        ) { _, client in
            await #expect(throws: ModelServerError.self) { try await client.tokenize("a b", model: "m") }
            let count = try await client.tokenize("a b", model: "m")
            #expect(count == TokenCount(tokens: [5, 6], count: 2, isEstimate: false))
        }
    }

    @Test func modelListIsDecoded() async throws {
        try await withFaultServer({ _, _ in
            FaultServer.json(
                200, #"{"object":"list","data":[{"id":"local","object":"model","owned_by":"llamacpp","extra":1}]}"#)
        }) { server, client in
            let models = try await client.models()
            #expect(models.map(\.id) == ["local"])
            #expect(models.first?.ownedBy == "llamacpp")
            #expect(server.requests.first?.method == "GET")
            #expect(server.requests.first?.uri == "/v1/models")
        }
    }

    @Test func streamingIsTurnedOffWhileToolsAreBound() async throws {
        try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("whole")) }) { server, client in
            let tool = ToolDefinition(name: "t", description: "d", parameters: ["type": "object"])
            let model = ChatVLLM(client: client, model: "m", disableStreaming: .whenToolsBound).bindingTools([tool])
            let chunks = try await model.stream("hi").collect()
            #expect(chunks.map(\.text) == ["whole"])
            let body = try JSONValue(parsing: try #require(server.requests.first).text)
            #expect(body["stream"] == nil)
        }
    }

    @Test func streamingInvokeReportsEveryToken() async throws {
        try await withFaultServer({ _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("a"), FaultServer.chunk("b"),
                FaultServer.event("[DONE]"), .end,
            ]
        }) { _, client in
            let recorder = RecordingCallbackHandler()
            let reply = try await ChatVLLM(client: client, model: "m", streaming: true).invoke(
                "hi", config: .init(callbacks: [recorder]))
            #expect(reply.text == "ab")
            #expect(
                recorder.hookNames == [
                    "on_chat_model_start", "on_llm_request", "on_llm_new_token", "on_llm_new_token", "on_llm_end",
                ])
        }
    }
}
