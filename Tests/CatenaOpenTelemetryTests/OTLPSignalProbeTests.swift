import CatenaTestServices
import CatenaTestingServer
import InMemoryLogging
import Logging
import Testing

@testable import CatenaOpenTelemetry

/// Before exporting, the backend is asked which signals it takes: one warning for those it refuses, not a failed
/// export on every run.
@Suite struct OTLPSignalProbeTests {
    @Test func aRefusedSignalIsLeftOutWithOneWarningNamingTheFlag() async throws {
        try await withServer({ request, _ in
            switch request.uri {
            case "/v1/traces": FaultServer.json(200, "{}")
            case "/v1/metrics": FaultServer.json(405, "")
            default: FaultServer.json(404, "")
            }
        }) { collector in
            let handler = InMemoryLogHandler()
            let accepted = await OTLPSignalProbe.accepted(
                .all, endpoint: "http://127.0.0.1:\(collector.port)/", json: false,
                logger: Logger(label: "test", factory: { _ in handler }))
            #expect(accepted == .traces)
            #expect(collector.requests.map(\.uri) == ["/v1/traces", "/v1/metrics", "/v1/logs"])
            #expect(collector.requests.allSatisfy { $0.headers["content-type"] == "application/x-protobuf" })
            let warnings = handler.entries.filter { $0.level == .warning }.map(\.message.description)
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("metrics (405 from /v1/metrics), logs (404 from /v1/logs)") == true)
            #expect(warnings.first?.contains("--otlp-signals traces") == true)
        }
    }

    @Test func aBackendThatCannotBeReachedKeepsEverySignalSilently() async throws {
        let collector = try await FaultServer.start { _, _ in [] }
        let endpoint = "http://127.0.0.1:\(collector.port)"
        try await collector.shutdown()
        let handler = InMemoryLogHandler()
        let accepted = await OTLPSignalProbe.accepted(
            [.traces, .metrics], endpoint: endpoint, json: true,
            logger: Logger(label: "test", factory: { _ in handler }))
        #expect(accepted == [.traces, .metrics])
        #expect(handler.entries.isEmpty)
    }
}
