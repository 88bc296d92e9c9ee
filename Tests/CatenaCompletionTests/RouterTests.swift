import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Synchronization
import Testing
import CatenaTestServices

@Suite("Router", .timeLimit(.minutes(1)))
struct RouterTests {
    static let failing: FaultServer.Script = { _, _ in FaultServer.json(503, #"{"error":{"message":"overloaded"}}"#) }

    func deployment(_ id: String, _ group: String, _ server: FaultServer) -> RouterDeployment {
        RouterDeployment(
            id: id, group: group, model: "hosted_vllm/m", options: .init(apiBase: server.baseURL, maxRetries: 0))
    }

    @Test(
        "a failing deployment falls back to the healthy one, cools down, and is skipped next time; decisions are in the payload"
    )
    func fallbackAndCooldown() async throws {
        try await withServer(Self.failing) { bad in
            try await withServer(answering("from b")) { good in
                let recorder = RecordingLogger()
                let llm = makeClient(loggers: [recorder])
                let router = Router(
                    client: llm,
                    configuration: .init(
                        deployments: [deployment("a", "chat", bad), deployment("b", "chat", good)],
                        strategy: .lowestLatency))
                // lowest-latency tries unmeasured deployments in order: "a" first.
                #expect(try await router.completion(model: "chat", messages: hi).text == "from b")
                #expect(try await router.completion(model: "chat", messages: hi).text == "from b")
                #expect(bad.requests.count == 1)
                await llm.flush()
                #expect(recorder.hooks == ["pre", "failure", "pre", "post", "success", "pre", "post", "success"])
                let failure = try #require(recorder.payloads("failure").first)
                #expect(failure.routing?.deployment == "a")
                #expect(failure.model == "chat")
                let first = try #require(recorder.payloads("success").first?.routing)
                #expect(first.deployment == "b")
                #expect(first.decisions.map(\.action) == [.selected, .failed, .cooldownStarted, .selected])
                #expect(first.decisions[1].reason.contains("overloaded"))
                #expect(failure.traceID == recorder.payloads("success").first?.traceID)
                let second = try #require(recorder.payloads("success").last?.routing)
                #expect(second.decisions.map(\.action) == [.skippedCoolingDown, .selected])
                try await llm.shutdown()
            }
        }
    }

    @Test("after its cooldown a deployment is tried again")
    func cooldownEnds() async throws {
        try await withServer(Self.failing) { bad in
            try await withServer(answering("ok")) { good in
                let clock = Mutex(ContinuousClock.now)
                let llm = makeClient()
                let router = Router(
                    client: llm,
                    configuration: .init(
                        deployments: [deployment("a", "chat", bad), deployment("b", "chat", good)],
                        strategy: .lowestLatency,
                        cooldown: .seconds(30)),
                    now: { clock.withLock { $0 } })
                _ = try await router.completion(model: "chat", messages: hi)
                _ = try await router.completion(model: "chat", messages: hi)
                #expect(bad.requests.count == 1)
                clock.withLock { $0 = $0.advanced(by: .seconds(31)) }
                _ = try await router.completion(model: "chat", messages: hi)
                #expect(bad.requests.count == 2)
                try await llm.shutdown()
            }
        }
    }

    @Test(
        "when a group fails entirely, its fallback group answers; when everything fails the error lists every attempt")
    func groupFallbacks() async throws {
        try await withServer(Self.failing) { bad in
            try await withServer(answering("small model")) { good in
                let recorder = RecordingLogger()
                let llm = makeClient(loggers: [recorder])
                let router = Router(
                    client: llm,
                    configuration: .init(
                        deployments: [deployment("big-1", "big", bad), deployment("small-1", "small", good)],
                        retries: 1, retryDelay: .milliseconds(1), fallbacks: ["big": ["small"]], allowedFailures: 5))
                #expect(try await router.completion(model: "big", messages: hi).text == "small model")
                #expect(bad.requests.count == 2)
                await llm.flush()
                let routing = try #require(recorder.payloads("success").first?.routing)
                #expect(routing.attemptGroup == "small")
                #expect(
                    routing.decisions.map(\.action) == [
                        .selected, .failed, .retried, .selected, .failed, .fellBack, .selected,
                    ])
                let lonely = Router(client: llm, configuration: .init(deployments: [deployment("x", "solo", bad)]))
                do {
                    _ = try await lonely.completion(model: "solo", messages: hi)
                    Issue.record("expected every deployment to fail")
                } catch CompletionError.allDeploymentsFailed(let group, let attempts) {
                    #expect(group == "solo")
                    #expect(attempts.map(\.deployment) == ["x"])
                }
                await #expect(throws: CompletionError.self) { try await lonely.completion(model: "nope", messages: hi) }
                try await llm.shutdown()
            }
        }
    }

    @Test(
        "the router owns retries: its rounds bound the attempts, not rounds times the client's retries, unless configured"
    )
    func oneRetryOwner() async throws {
        try await withServer(Self.failing) { bad in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let unconfigured = RouterDeployment(
                id: "d", group: "chat", model: "hosted_vllm/m", options: .init(apiBase: bad.baseURL))
            let router = Router(
                client: llm,
                configuration: .init(
                    deployments: [unconfigured], retries: 1, retryDelay: .milliseconds(1), allowedFailures: 5))
            await #expect(throws: CompletionError.self) { try await router.completion(model: "chat", messages: hi) }
            #expect(bad.requests.count == 2)
            await llm.flush()
            #expect(recorder.hooks.filter { $0 == "failure" }.count == 2)

            var configured = unconfigured
            configured.options.maxRetries = 1
            let retrying = Router(
                client: llm,
                configuration: .init(
                    deployments: [configured], retries: 1, retryDelay: .milliseconds(1), allowedFailures: 5))
            await #expect(throws: CompletionError.self) { try await retrying.completion(model: "chat", messages: hi) }
            #expect(bad.requests.count == 2 + 4)
            try await llm.shutdown()
        }
    }

    @Test("least-busy sends concurrent calls to the deployment with fewer in flight")
    func leastBusy() async throws {
        let slow: FaultServer.Script = { _, _ in
            [.delay(.milliseconds(300))] + FaultServer.json(200, completionBody("slow"))
        }
        try await withServer(slow) { first in
            try await withServer(slow) { second in
                let llm = makeClient()
                let router = Router(
                    client: llm,
                    configuration: .init(
                        deployments: [deployment("a", "chat", first), deployment("b", "chat", second)],
                        strategy: .leastBusy))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 { group.addTask { _ = try await router.completion(model: "chat", messages: hi) } }
                    try await group.waitForAll()
                }
                #expect(first.requests.count == 3)
                #expect(second.requests.count == 3)
                try await llm.shutdown()
            }
        }
    }

    @Test("lowest-latency prefers the faster deployment once both are measured")
    func lowestLatency() async throws {
        // The router's clock is the test's: only the slow deployment's answers move it on (600 ms each), so the
        // latencies it measures do not depend on how loaded the machine is.
        let clock = Mutex(ContinuousClock.now)
        let slow: FaultServer.Script = { _, _ in
            clock.withLock { $0 = $0.advanced(by: .milliseconds(600)) }
            return FaultServer.json(200, completionBody("slow"))
        }
        try await withServer(slow) { slowServer in
            try await withServer(answering("fast")) { fastServer in
                let llm = makeClient()
                let router = Router(
                    client: llm,
                    configuration: .init(
                        deployments: [deployment("slow", "chat", slowServer), deployment("fast", "chat", fastServer)],
                        strategy: .lowestLatency),
                    now: { clock.withLock { $0 } })
                var answers: [String] = []
                for _ in 0..<6 { answers.append(try await router.completion(model: "chat", messages: hi).text) }
                #expect(answers == ["slow", "fast", "fast", "fast", "fast", "fast"])
                try await llm.shutdown()
            }
        }
    }

    @Test("a routed stream moves on when a deployment fails before its first chunk")
    func streamingFallback() async throws {
        try await withServer(Self.failing) { bad in
            try await withServer(answering("unused")) { _ in
                let streaming: FaultServer.Script = { _, _ in
                    [
                        .head(200, FaultServer.sse), FaultServer.chunk("str"), FaultServer.chunk("eam"),
                        FaultServer.event("[DONE]"), .end,
                    ]
                }
                try await withServer(streaming) { good in
                    let llm = makeClient()
                    let router = Router(
                        client: llm,
                        configuration: .init(
                            deployments: [deployment("a", "chat", bad), deployment("b", "chat", good)],
                            strategy: .lowestLatency))
                    let chunks = try await router.streamingCompletion(model: "chat", messages: hi).collect()
                    #expect(chunks.map(\.text).joined() == "stream")
                    #expect(bad.requests.count == 1)
                    try await llm.shutdown()
                }
            }
        }
    }
}
