import ArgumentParser
import CatenaGateway
import CatenaOpenTelemetry
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// `catena serve`: the OpenAI-compatible gateway, until SIGTERM or Ctrl-C.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve an OpenAI-compatible gateway in front of the models a YAML file configures.",
        discussion: """
            The file has LiteLLM's config.yaml shape: model_list (model_name, litellm_params: model, api_base, api_key, \
            input_cost_per_token, output_cost_per_token), router_settings, litellm_settings (cache), general_settings \
            (master_key). Models are named as `catena complete` names them: openai/…, hosted_vllm/…, anthropic/…, and \
            oci/… for an Oracle Cloud model deployment (api_base: its predict URL; signed with the ~/.oci/config profile). Write os.environ/NAME to read a value from the environment. On SIGTERM or Ctrl-C the gateway \
            stops accepting, finishes the requests in flight and delivers pending logging before it exits. With \
            --otlp-endpoint (or $OTEL_EXPORTER_OTLP_ENDPOINT) every call's span (OpenTelemetry's GenAI conventions) and, \
            if asked, the logs go to that collector; the metrics stay at GET /metrics, for Prometheus.
            """)

    @Option(help: "The configuration file.") var config: String
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed when ready).") var port = 4000
    @Option(
        help:
            "Seconds after SIGTERM within which the requests in flight must finish; then they are cancelled (their spend is still written)."
    )
    var shutdownTimeout = 60
    @OptionGroup(title: "Telemetry") var telemetry: TelemetryOptions

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (got \(port))")
        }
        guard (1...86_400).contains(shutdownTimeout) else {
            throw ValidationError("--shutdown-timeout must be between 1 and 86400 seconds (got \(shutdownTimeout))")
        }
    }

    func run() async throws {
        // Tasks run on NIO's event loops, where the server's and the client's channels live: no thread hop between
        // a socket's loop and the task that handles it (gateway bench: 6,712 → 7,661 req/s at 16 connections).
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(path: config)
        } catch let error as GatewayConfigurationError {
            throw CLIError(description: "\(error)")
        }
        // Spans (and logs) to the collector, if one is named; metrics to GET /metrics, where Prometheus reads them.
        try await telemetry.exporting(serviceName: "catena-gateway", excluding: .metrics) {
            try await serve(configuration)
        }
    }

    private func serve(_ configuration: GatewayConfiguration) async throws {
        let logger = Logger(label: "catena.gateway")
        let gateway = try Gateway(configuration: configuration, providers: .catena, logger: logger)
        MetricsSystem.bootstrap(gateway.metricsFactory)
        let models = configuration.modelList.map(\.modelName)
        let application = gateway.application(host: host, port: port) { [host] port in
            // Written at once (print's buffer would hold it back from a pipe): scripts wait for this line.
            let line =
                "catena serve: listening on http://\(host):\(port)/v1 (models: \(models.joined(separator: ", ")))\n"
            // A closed standard output must not stop the gateway.
            try? FileHandle.standardOutput.write(contentsOf: Data(line.utf8))
        }
        // Services stop in reverse order: the server first (in-flight requests finish), then the gateway (spend, logging).
        var services = ServiceGroupConfiguration(
            services: gateway.services + [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // However stuck a request or a store is, SIGTERM ends the process: past the timeout, what runs is cancelled.
        services.maximumGracefulShutdownDuration = .seconds(shutdownTimeout)
        try await ServiceGroup(configuration: services).run()
    }
}
