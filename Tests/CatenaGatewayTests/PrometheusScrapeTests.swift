import Catena
import CatenaTestingServer
import Foundation
import Testing

/// A real Prometheus (Debian's `prometheus`, installed by the test command) scrapes the gateway's `/metrics`, and
/// its query API returns the request count.
@Suite(.timeLimit(.minutes(1)))
struct PrometheusScrapeTests {
    static let prometheus =
        ProcessInfo.processInfo.environment["CATENA_PROMETHEUS"]
        ?? ["/usr/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: prometheus != nil, "install Debian's prometheus (bash scripts/system-deps.sh does)"))
    func prometheusScrapesTheRequestCount() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        try await RunningGateway.with(GatewayServerTests.configuration(baseURL: upstream.baseURL)) { gateway in
            for _ in 0..<2 {
                _ = try await gateway.send(
                    "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#)
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "prometheus-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let target = try #require(URL(string: gateway.baseURL)).port.map { "127.0.0.1:\($0)" } ?? ""
            try """
            global: {scrape_interval: 1s}
            scrape_configs:
              - job_name: catena-gateway
                static_configs: [{targets: ["\(target)"]}]
            """.write(to: folder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
            // A free port: bound once by a throwaway server, then given to Prometheus.
            let probe = try await FaultServer.start { _, _ in [] }
            let port = probe.port
            try await probe.shutdown()

            let server = Process()
            server.executableURL = URL(fileURLWithPath: try #require(Self.prometheus))
            server.arguments = [
                "--config.file=\(folder.path)/prometheus.yml", "--storage.tsdb.path=\(folder.path)/data",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer { server.terminate() }

            let query = "catena_gateway_requests_total{route=\"/v1/chat/completions\",status=\"200\"}"
            let url =
                "http://127.0.0.1:\(port)/api/v1/query?query=" + query.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics)!
            var count: Double?
            for _ in 0..<150 where count == nil {
                try await Task.sleep(for: .milliseconds(200))
                guard let reply = try? await gateway.http.get(url) else { continue }
                count = reply["data"]?["result"]?[0]?["value"]?[1]?.stringValue.flatMap(Double.init)
            }
            #expect(count == 2)
        }
        try await upstream.shutdown()
    }
}
