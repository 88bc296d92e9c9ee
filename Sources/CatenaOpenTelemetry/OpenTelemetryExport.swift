import Catena
import Foundation
import Logging
import OTel
import ServiceLifecycle

/// Sends Catena's telemetry to an OpenTelemetry backend over OTLP/HTTP, with swift-otel: one call for apps and
/// scripts that want their runs' spans, GenAI metrics and logs in Arize Phoenix, Jaeger, Grafana, Prometheus or any
/// collector.
///
/// It bootstraps the process's tracer, metrics backend and (when exported) logging system, once per process: do it
/// before creating model clients, so that their HTTP requests are traced too. It runs your work, then flushes
/// every span, metric and log record before returning. A server app that runs a `ServiceGroup` bootstraps swift-otel
/// itself instead (`OTel.bootstrap`) and runs its service in the group: Catena reports to whatever is bootstrapped.
///
/// ```swift
/// try await OpenTelemetryExport.run(endpoint: "http://127.0.0.1:4318", serviceName: "my-app") {
///     _ = try await chain.invoke(["q": "Why is the sky blue?"])
/// }
/// ```
public enum OpenTelemetryExport {
    /// The kinds of telemetry sent to the backend.
    public struct Signals: OptionSet, Sendable, Hashable {
        public let rawValue: Int

        /// Creates a set from its raw value.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// A span per run.
        public static let traces = Signals(rawValue: 1 << 0)
        /// The GenAI client metrics (token usage, durations, time to first chunk) and Catena's counters (cost,
        /// cache hits and misses, retries).
        public static let metrics = Signals(rawValue: 1 << 1)
        /// The process's log lines, with the trace and span ids of the run they were logged in. They go to the
        /// backend instead of the console.
        public static let logs = Signals(rawValue: 1 << 2)
        /// Traces, metrics and logs.
        public static let all: Signals = [.traces, .metrics, .logs]
    }

    /// Exports `signals` to `endpoint` (an OTLP/HTTP base URL: spans go to `/v1/traces` under it, metrics to
    /// `/v1/metrics`, logs to `/v1/logs`) while `body` runs, then flushes them. A signal the backend refuses (404
    /// or 405 to an empty export request sent first) is left out, with one warning. Histograms get the bucket boundaries
    /// the GenAI conventions advise. The process's `OTEL_*` variables apply over the defaults: the sampler, resource
    /// attributes, `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf` unless set to `http/json`), a signal's exporter
    /// (`OTEL_METRICS_EXPORTER=none` …), `OTEL_LOG_LEVEL` (`warning` unless set); the endpoint is this call's.
    /// - Parameters:
    ///   - endpoint: The collector's base URL (`http://127.0.0.1:4318`, Phoenix's `http://127.0.0.1:6006`).
    ///   - serviceName: The `service.name` resource attribute the telemetry carries.
    ///   - signals: What to export (Phoenix takes traces only).
    ///   - body: The work whose telemetry is exported.
    /// - Throws: When the exporter cannot be configured (a malformed endpoint, an unknown protocol), or what
    ///   `body` throws.
    public static func run<T: Sendable>(
        endpoint: String, serviceName: String = "catena", signals: Signals = .all, _ body: () async throws -> T
    ) async throws -> T {
        var environment = ProcessInfo.processInfo.environment
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
        for signal in ["TRACES", "METRICS", "LOGS"] { environment["OTEL_EXPORTER_OTLP_\(signal)_ENDPOINT"] = nil }
        let logger = Logger(label: "catena.opentelemetry")
        let json = environment["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/json"
        let signals = await OTLPSignalProbe.accepted(signals, endpoint: endpoint, json: json, logger: logger)
        guard !signals.isEmpty else { return try await body() }
        let observability = try OTel.bootstrap(
            configuration: configuration(serviceName: serviceName, signals: signals), environment: environment)
        let group = ServiceGroup(configuration: .init(services: [observability], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// swift-otel's configuration for `signals`, before the environment's overrides.
    static func configuration(serviceName: String, signals: Signals) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogLevel = .warning
        configuration.traces.enabled = signals.contains(.traces)
        configuration.metrics.enabled = signals.contains(.metrics)
        configuration.logs.enabled = signals.contains(.logs)
        configuration.metrics.valueHistogramBuckets = GenAIMetricBuckets.byLabel
        for exporter in [\OTel.Configuration.traces.otlpExporter, \.metrics.otlpExporter, \.logs.otlpExporter] {
            configuration[keyPath: exporter].protocol = .httpProtobuf
        }
        return configuration
    }
}
