import Foundation
import Logging
import OTel
import ServiceLifecycle

/// Sends Catena's telemetry to an OpenTelemetry backend over OTLP/HTTP, with swift-otel: one call for apps and
/// scripts that want their runs' spans in Arize Phoenix, Jaeger, Grafana Tempo or any collector.
///
/// It bootstraps the process's tracer (once per process: do it before creating model clients, so their HTTP
/// requests are traced too), runs your work, then flushes every span before returning.
///
/// ```swift
/// try await OpenTelemetryExport.run(endpoint: "http://127.0.0.1:6006", serviceName: "my-app") {
///     _ = try await chain.invoke(["q": "Why is the sky blue?"])
/// }
/// ```
public enum OpenTelemetryExport {
    /// Exports traces to `endpoint` (an OTLP/HTTP base URL; spans go to `/v1/traces` under it) while `body` runs,
    /// then flushes them. Metrics and logs stay with the process's own backends. The process's `OTEL_*` variables
    /// apply (sampler, resource attributes, `OTEL_LOG_LEVEL`, which is `warning` unless set).
    /// - Parameters:
    ///   - endpoint: The collector's base URL (`http://127.0.0.1:4318`, Phoenix's `http://127.0.0.1:6006`).
    ///   - serviceName: The `service.name` resource attribute the spans carry.
    ///   - body: The work to trace.
    /// - Throws: When the exporter cannot be configured (a malformed endpoint), or what `body` throws.
    public static func run<T: Sendable>(
        endpoint: String, serviceName: String = "catena", _ body: () async throws -> T
    ) async throws -> T {
        // The process's OTEL_* variables apply (sampler, resource attributes, log level …), over quiet defaults;
        // the endpoint and protocol are this call's.
        let defaults = [
            "OTEL_SERVICE_NAME": serviceName, "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none",
            "OTEL_LOG_LEVEL": "warning",
        ]
        var environment = defaults.merging(ProcessInfo.processInfo.environment) { _, set in set }
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf"
        environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = nil
        let observability = try OTel.bootstrap(environment: environment)
        let group = ServiceGroup(
            configuration: .init(services: [observability], logger: Logger(label: "catena.opentelemetry")))
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
}
