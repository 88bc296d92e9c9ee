import Catena
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// `catena --otlp-endpoint` sends GenAI metrics and spans over OTLP/HTTP. No OTLP metrics backend is at hand
/// (Debian's Prometheus 2.42 predates its OTLP receiver; Phoenix takes traces only), so a loopback collector
/// records what arrives, as OTLP/JSON; the model is the real local server.
@Suite("OTLP export from the command line", .timeLimit(.minutes(1)))
struct OTLPExportTests {
    static let model = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]

    /// The OTLP/JSON requests a collector received at `path`.
    func received(_ collector: FaultServer, at path: String) throws -> [JSONValue] {
        try collector.requests.filter { $0.uri == path }.map { try JSONValue(parsing: $0.body) }
    }

    /// Every metric of the metrics requests, by name.
    func metrics(in requests: [JSONValue]) -> [String: [JSONValue]] {
        var metrics: [String: [JSONValue]] = [:]
        for request in requests {
            for resource in request["resourceMetrics"]?.arrayValue ?? [] {
                for scope in resource["scopeMetrics"]?.arrayValue ?? [] {
                    for metric in scope["metrics"]?.arrayValue ?? [] {
                        metrics[metric["name"]?.stringValue ?? "", default: []].append(metric)
                    }
                }
            }
        }
        return metrics
    }

    /// A data point's attributes as a dictionary.
    func attributes(of point: JSONValue) -> [String: String] {
        var attributes: [String: String] = [:]
        for attribute in point["attributes"]?.arrayValue ?? [] {
            attributes[attribute["key"]?.stringValue ?? ""] = attribute["value"]?["stringValue"]?.stringValue
        }
        return attributes
    }

    @Test(
        "a streamed chat's GenAI metrics, with the conventions' buckets, and its span with the server reach the collector",
        .enabled(if: model != nil, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func metricsAndSpansAreExported() async throws {
        let model = try #require(Self.model)
        let collector = try await FaultServer.start { _, _ in FaultServer.json(200, "{}") }
        let run = try await CatenaCommand.run(
            [
                "chat", "Say hi.", "--base-url", model, "--max-tokens", "8", "--otlp-endpoint",
                "http://127.0.0.1:\(collector.port)",
            ],
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
        try await collector.shutdown()
        #expect(run.status == 0, "\(run.errors)")

        let metrics = metrics(in: try received(collector, at: "/v1/metrics"))
        let tokens = try #require(metrics["gen_ai.client.token.usage"]?.first)
        let points = tokens["histogram"]?["dataPoints"]?.arrayValue ?? []
        #expect(Set(points.compactMap { attributes(of: $0)["gen_ai.token.type"] }) == ["input", "output"])
        let input = try #require(points.first { attributes(of: $0)["gen_ai.token.type"] == "input" })
        #expect(attributes(of: input)["gen_ai.operation.name"] == "chat")
        #expect(attributes(of: input)["gen_ai.request.model"] == "local")
        #expect(input["explicitBounds"]?.arrayValue?.first?.doubleValue == 1)
        #expect(input["explicitBounds"]?.arrayValue?.count == 14)
        let duration = try #require(metrics["gen_ai.client.operation.duration"]?.first)
        let bounds = duration["histogram"]?["dataPoints"]?[0]?["explicitBounds"]?.arrayValue
        #expect(bounds?.first?.doubleValue == 0.01 && bounds?.last?.doubleValue == 81.92)
        #expect(metrics["gen_ai.client.operation.time_to_first_chunk"] != nil)

        let spans = try received(collector, at: "/v1/traces").flatMap { request in
            (request["resourceSpans"]?.arrayValue ?? []).flatMap { resource in
                (resource["scopeSpans"]?.arrayValue ?? []).flatMap { $0["spans"]?.arrayValue ?? [] }
            }
        }
        let chat = try #require(spans.first { $0["name"]?.stringValue == "chat local" })
        let chatAttributes = attributes(of: chat)
        #expect(chatAttributes["server.address"] == "127.0.0.1")
        let port = (chat["attributes"]?.arrayValue ?? []).first { $0["key"]?.stringValue == "server.port" }
        #expect(port?["value"]?["intValue"]?.stringValue == URL(string: model)?.port.map(String.init))
    }
}
