import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// Finds which signals an OTLP/HTTP backend takes before exporting to it, so that one that takes traces only
/// (Arize Phoenix answers 405 on `/v1/metrics`) gets one warning, not a failed export on every run.
enum OTLPSignalProbe {
    /// The OTLP/HTTP path of each signal under the endpoint.
    static let paths: [(signal: OpenTelemetryExport.Signals, name: String, path: String)] = [
        (.traces, "traces", "/v1/traces"), (.metrics, "metrics", "/v1/metrics"), (.logs, "logs", "/v1/logs"),
    ]

    /// `signals` less those the backend at `endpoint` refuses: each path is sent an empty export request, which
    /// carries no telemetry; a 404 or 405 means the backend does not take that signal, and is logged once through
    /// `logger`. A backend that cannot be reached keeps every signal (the exporter reports that itself).
    static func accepted(
        _ signals: OpenTelemetryExport.Signals, endpoint: String, json: Bool, logger: Logger
    ) async -> OpenTelemetryExport.Signals {
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        var accepted = signals
        var refusals: [String] = []
        for (signal, name, path) in paths where signals.contains(signal) {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "content-type", value: json ? "application/json" : "application/x-protobuf")
            request.body = .bytes(ByteBuffer(string: json ? "{}" : ""))
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { continue }
            _ = try? await response.body.collect(upTo: 1 << 16)
            if [404, 405].contains(response.status.code) {
                accepted.remove(signal)
                refusals.append("\(name) (\(response.status.code) from \(path))")
            }
        }
        if !refusals.isEmpty {
            let kept = paths.filter { accepted.contains($0.signal) }.map(\.name)
            let sending = kept.isEmpty ? "nothing" : kept.joined(separator: " and ")
            let flag = "--otlp-signals \(kept.isEmpty ? "traces" : kept.joined(separator: ","))"
            logger.warning(
                "the OTLP backend at \(endpoint) does not take \(refusals.joined(separator: ", ")): sending \(sending); leave the refused signals out (`\(flag)`) to skip this check"
            )
        }
        return accepted
    }
}
