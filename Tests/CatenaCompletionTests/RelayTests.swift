import Catena
import CatenaCompletion
import CatenaTesting
import CatenaOpenAI
import CatenaTestServices
import CatenaTestingServer
import Foundation
import InMemoryTracing
import Metrics
import MetricsTestKit
import Synchronization
import Testing
import Tracing

/// A Chat Completions request relayed as the caller wrote it: what a gateway does for a deployment that speaks the
/// caller's API. The run, its span, metrics, cost, cache and loggers account for it as for any call.
@Suite struct RelayTests {
    /// A caller's body with members the completion layer does not model, in the caller's order.
    static let body = Array(
        #"{"model":"chat","messages":[{"role":"user","content":"Hi"}],"user":"u-7","logit_bias":{"42":-1}}"#.utf8)
    /// An answer with members no decoder keeps.
    static let answer = completionBody("ok").replacingOccurrences(
        of: #""model":"fault","#, with: #""model":"fault","service_tier":"flex","x_extra":[1,{"a":null}],"#)

    /// A router with one deployment, `chat`, of `model` at `server`.
    private func router(_ llm: CompletionClient, _ server: FaultServer, model: String = "hosted_vllm/m") -> Router {
        Router(
            client: llm,
            configuration: RouterConfiguration(deployments: [
                RouterDeployment(
                    id: "a", group: "chat", model: model,
                    options: .init(
                        apiBase: server.baseURL, price: ModelPrice(inputCostPerToken: 1, outputCostPerToken: 2)))
            ]))
    }

    @Test func theCallersBodyGoesOnWithItsModelSetAndTheAnswersBytesComeBack() async throws {
        try await withServer({ _, _ in FaultServer.json(200, Self.answer) }) { server in
            let llm = makeClient()
            let tracer = InMemoryTracer()
            let metrics = TestMetrics()
            let answer = try await withTracer(tracer) {
                try await withMetricsFactory(metrics) {
                    try await router(llm, server).relay(
                        model: "chat", body: Self.body, messages: hi, options: CompletionOptions())
                }
            }
            guard case .bytes(let bytes) = answer else { Issue.record("not relayed: \(answer)"); return }
            #expect(String(decoding: bytes, as: UTF8.self) == Self.answer)
            #expect(
                server.requests.map(\.text) == [
                    #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"user":"u-7","logit_bias":{"42":-1}}"#
                ])
            // The span and the metrics see the usage, the finish reason, the model and the cost ($1 and $2 a token).
            let span = try #require(tracer.finishedSpans.first { $0.attributes.get("gen_ai.operation.name") == "chat" })
            #expect(span.attributes.get("gen_ai.usage.input_tokens") == .int64(5))
            #expect(span.attributes.get("gen_ai.usage.output_tokens") == .int64(2))
            #expect(span.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["stop"]))
            #expect(span.attributes.get("gen_ai.response.model") == "fault")
            #expect(span.attributes.get("catena.cost") == .double(9))
            let dimensions = [
                ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "vllm"), ("gen_ai.request.model", "m"),
                ("gen_ai.response.model", "fault"),
            ]
            #expect(try metrics.expectCounter("catena.client.cost", dimensions).totalValue == 9)
            try await llm.shutdown()
        }
    }

    @Test func theCacheAndLoggersGetTheWholeAnswerAndACachedAnswerComesBackDecoded() async throws {
        try await withServer({ _, _ in FaultServer.json(200, Self.answer) }) { server in
            let logged = Mutex<[String]>([])
            let llm = makeClient(
                cache: InMemoryResponseCache(),
                loggers: [
                    CompletionCallbacks(success: { payload in
                        logged.withLock { $0.append(payload.response?.text ?? "") }
                    })
                ])
            let router = router(llm, server)
            let options = CompletionOptions(cache: .init(enabled: true))
            let first = try await router.relay(model: "chat", body: Self.body, messages: hi, options: options)
            let second = try await router.relay(model: "chat", body: Self.body, messages: hi, options: options)
            guard case .bytes = first, case .response(let cached) = second else {
                Issue.record("first relayed, second from the cache: \(first), \(second)")
                return
            }
            #expect(cached.text == "ok" && cached.usage?.completionTokens == 2)
            #expect(server.requests.count == 1)
            await llm.flush()
            #expect(logged.withLock { $0 } == ["ok", "ok"])
            try await llm.shutdown()
        }
    }

    @Test func aDeploymentInAnotherWireFormatOrAMockIsCalledAsCompletionDoes() async throws {
        try await withServer({ _, _ in FaultServer.json(200, Self.answer) }) { server in
            let llm = makeClient()
            let mocked = try await Router(
                client: llm,
                configuration: RouterConfiguration(deployments: [
                    RouterDeployment(
                        id: "a", group: "chat", model: "hosted_vllm/m", options: .init(mockResponse: "mocked"))
                ])
            ).relay(model: "chat", body: Self.body, messages: hi, options: CompletionOptions())
            guard case .response(let response) = mocked else { Issue.record("a mock relayed: \(mocked)"); return }
            #expect(response.text == "mocked")
            // The Responses API is another wire format: the body is written for it, not relayed (and this server's
            // answer is no Responses answer).
            await #expect(throws: CompletionError.self) {
                try await router(llm, server, model: "openai/responses/m").relay(
                    model: "chat", body: Self.body, messages: hi, options: CompletionOptions())
            }
            #expect(server.requests.first?.uri.hasSuffix("/responses") == true)
            #expect(server.requests.first?.text.contains(#""user":"u-7""#) == false)
            try await llm.shutdown()
        }
    }

    @Test func anAnswerThatIsNoChatCompletionFailsTheCallNamingWhatIsMissing() async throws {
        try await withServer({ _, _ in FaultServer.json(200, #"{"id":"x","usage":{"prompt_tokens":-1}}"#) }) { server in
            let llm = makeClient()
            await #expect {
                try await router(llm, server).relay(
                    model: "chat", body: Self.body, messages: hi, options: CompletionOptions())
            } throws: { error in
                "\(error)".contains("usage")
            }
            try await llm.shutdown()
        }
    }

    @Test func aStreamIsRelayedEventByEventAndItsRunEndsWithTheTextAndUsage() async throws {
        try await withServer(answering("ok")) { server in
            let recorder = RecordingCallbackHandler()
            let llm = makeClient()
            var body = Self.body
            body.insert(contentsOf: #""stream":true,"#.utf8, at: 1)
            let pieces = try await router(llm, server).relayStream(
                model: "chat", body: body, messages: hi, options: CompletionOptions(callbacks: [recorder])
            ).collect()
            let events = pieces.compactMap { piece -> (data: String, moreBuffered: Bool)? in
                if case .event(let event, let more) = piece { (event.data, more) } else { nil }
            }.map(\.data)
            #expect(events.count == 2 && events.count == pieces.count)
            // The last event says no more came with it: what the gateway holds back is written then.
            if case .event(_, let more)? = pieces.last { #expect(!more) }
            #expect(events.first?.contains(#""content":"ok""#) == true)
            let sent = try JSONValue(parsing: try #require(server.requests.first).body)
            #expect(sent["stream_options"] == ["include_usage": true] && sent["model"] == "m")
            guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
            #expect(result.generations.first?.first?.text == "ok")
            #expect(result.tokenUsage?.inputTokens == 5 && result.tokenUsage?.outputTokens == 2)
            #expect(result.cost == 9)
            try await llm.shutdown()
        }
    }

    @Test func aRelayedStreamThatBreaksOffOrSendsGarbageFailsNamingWhy() async throws {
        let scripts: [(FaultServer.Script, String)] = [
            ({ _, _ in [.head(200, FaultServer.sse), FaultServer.chunk("ok"), .drop] }, "stream"),
            ({ _, _ in [.head(200, FaultServer.sse), FaultServer.event(#"{"choices":"no"}"#), .end] }, "choices"),
        ]
        for (script, named) in scripts {
            try await withServer(script) { server in
                let llm = makeClient()
                var body = Self.body
                body.insert(contentsOf: #""stream":true,"#.utf8, at: 1)
                await #expect {
                    try await router(llm, server).relayStream(
                        model: "chat", body: body, messages: hi, options: CompletionOptions()
                    ).collect()
                } throws: { error in
                    "\(error)".contains(named)
                }
                try await llm.shutdown()
            }
        }
    }
}
