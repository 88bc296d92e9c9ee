import Catena
import CatenaOpenAI
import CatenaTestingServer
import InMemoryTracing
import Testing
import Tracing

/// The process's tracer, bootstrapped once for the whole test process (the tracing system allows one bootstrap).
/// Clients of other tests created afterwards report into it too; the test below picks out its own server's spans.
private let processTracer: InMemoryTracer = {
    let tracer = InMemoryTracer()
    InstrumentationSystem.bootstrap(tracer)
    return tracer
}()

/// A client skips AsyncHTTPClient's request spans only while no tracer is bootstrapped.
@Suite struct TracingTests {
    @Test func aBootstrappedTracerSeesEveryRequestOfAClient() async throws {
        let tracer = processTracer
        try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("ok")) }) { server, client in
            let reply = try await ChatVLLM(client: client, model: "m").invoke("hi")
            #expect(reply.text == "ok")
            let spans = tracer.finishedSpans.filter { $0.attributes.get("server.port") == .int64(Int64(server.port)) }
            #expect(spans.map(\.operationName) == ["POST"])
            #expect(spans.first?.attributes.get("http.status_code") == .int64(200))
            #expect(spans.first?.kind == .client)
        }
    }
}
