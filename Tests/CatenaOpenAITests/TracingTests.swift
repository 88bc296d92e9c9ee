import Catena
import CatenaOpenAI
import CatenaTestingServer
import InMemoryTracing
import Testing
import Tracing
import CatenaTestServices

/// A client skips AsyncHTTPClient's request spans only while no tracer is in place where it is made.
///
/// The tracer is bound to the test's task rather than bootstrapped: a bootstrap would last for the whole test
/// process and turn telemetry on in every other test.
@Suite struct TracingTests {
    @Test func theTracerInPlaceWhereAClientIsMadeSeesEveryRequestOfItAndItCarriesTheTrace() async throws {
        let tracer = InMemoryTracer()
        var received: [String: String] = [:]
        try await withTracer(tracer) {
            try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("ok")) }) { server, client in
                let reply = try await ChatVLLM(client: client, model: "m").invoke("hi")
                #expect(reply.text == "ok")
                received = try #require(server.requests.first).headers
            }
        }
        let spans = tracer.finishedSpans
        let request = try #require(spans.first { $0.operationName == "POST" })
        #expect(spans.filter { $0.operationName == "POST" }.count == 1)
        #expect(request.kind == .client)
        #expect(request.attributes.get("http.status_code") == .int64(200))
        let chat = try #require(spans.first { $0.operationName == "chat m" })
        #expect(request.parentSpanID == chat.spanID)
        // The request carried the trace to the server (the in-memory tracer's stand-in for `traceparent`), so a
        // server that traces joins it under the request's span.
        #expect(received[InMemoryTracer.traceIDKey] == chat.spanContext.traceID)
        #expect(received[InMemoryTracer.spanIDKey] == request.spanContext.spanID)
    }

    @Test func aNoOpTracerBoundToATaskTurnsRunTelemetryOffThere() async throws {
        let tracer = InMemoryTracer()
        try await withTracer(tracer) {
            try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("ok")) }) { _, client in
                let model = ChatVLLM(client: client, model: "m")
                _ = try await withTracer(NoOpTracer()) { try await model.invoke("untraced") }
                _ = try await model.invoke("traced")
            }
        }
        #expect(tracer.finishedSpans.filter { $0.operationName == "chat m" }.count == 1)
    }
}
