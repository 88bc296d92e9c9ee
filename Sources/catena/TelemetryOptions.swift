import ArgumentParser
import CatenaOpenTelemetry
import Foundation

/// Where the runs' telemetry goes, for every command that makes calls.
struct TelemetryOptions: ParsableArguments {
    @Option(
        name: .customLong("otlp-endpoint"),
        help:
            "Send the runs' telemetry over OTLP/HTTP to this collector's base URL (Phoenix: http://127.0.0.1:6006); default $OTEL_EXPORTER_OTLP_ENDPOINT."
    )
    var otlpEndpoint: String?
    @Option(
        name: .customLong("otlp-signals"),
        help:
            "What --otlp-endpoint receives, comma-separated: traces, metrics, logs (logs then leave the console). Phoenix takes traces only."
    )
    var otlpSignals = "traces,metrics"

    /// Where telemetry goes: `--otlp-endpoint`, else `$OTEL_EXPORTER_OTLP_ENDPOINT` (`nil`: nowhere).
    var telemetryEndpoint: String? {
        otlpEndpoint ?? ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
    }

    /// The signals `--otlp-signals` names.
    func signals() throws -> OpenTelemetryExport.Signals {
        let names: [String: OpenTelemetryExport.Signals] = ["traces": .traces, "metrics": .metrics, "logs": .logs]
        var signals: OpenTelemetryExport.Signals = []
        for name in otlpSignals.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let signal = names[name] else {
                throw ValidationError("--otlp-signals takes traces, metrics and logs, comma-separated (got '\(name)')")
            }
            signals.insert(signal)
        }
        guard !signals.isEmpty else { throw ValidationError("--otlp-signals names no signal") }
        return signals
    }

    /// Runs `body` with its runs' telemetry exported to ``telemetryEndpoint``, when set, except the signals in
    /// `excluded` (which go elsewhere); flushed before returning.
    func exporting<T: Sendable>(
        serviceName: String = "catena", excluding excluded: OpenTelemetryExport.Signals = [],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let endpoint = telemetryEndpoint else { return try await body() }
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw ValidationError("--otlp-endpoint must start with http:// or https:// (got '\(endpoint)')")
        }
        let signals = try signals().subtracting(excluded)
        guard !signals.isEmpty else { return try await body() }
        return try await OpenTelemetryExport.run(endpoint: endpoint, serviceName: serviceName, signals: signals, body)
    }
}
