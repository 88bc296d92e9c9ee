import ArgumentParser
import Catena
import CatenaOpenAI
import CatenaOpenTelemetry
import Foundation

/// The server and every model flag, shared by all commands, in groups for `--help`.
struct ModelOptions: ParsableArguments {
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Sampling") var sampling: SamplingOptions
    @OptionGroup(title: "vLLM sampling and pass-through") var vllm: VLLMOptions
    @Option(
        name: .customLong("otlp-endpoint"),
        help: "Send the runs' telemetry over OTLP/HTTP to this collector's base URL (Phoenix: http://127.0.0.1:6006); default $OTEL_EXPORTER_OTLP_ENDPOINT.")
    var otlpEndpoint: String?
    @Option(
        name: .customLong("otlp-signals"),
        help: "What --otlp-endpoint receives, comma-separated: traces, metrics, logs (logs then leave the console). Phoenix takes traces only.")
    var otlpSignals = "traces,metrics"

    /// Where telemetry goes: `--otlp-endpoint`, else `$OTEL_EXPORTER_OTLP_ENDPOINT` (`nil`: nowhere).
    var telemetryEndpoint: String? { otlpEndpoint ?? ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_ENDPOINT"] }

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

    /// Runs `body` with its runs' telemetry exported to ``telemetryEndpoint``, when set; flushed before returning.
    func exportingTelemetry<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard let endpoint = telemetryEndpoint else { return try await body() }
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw ValidationError("--otlp-endpoint must start with http:// or https:// (got '\(endpoint)')")
        }
        return try await OpenTelemetryExport.run(endpoint: endpoint, serviceName: "catena", signals: try signals(), body)
    }

    /// The model name.
    var model: String { server.model }

    /// The sampling parameters the flags describe.
    func parameters() throws -> SamplingParameters {
        let bias = try sampling.logitBiases()
        let template = vllm.chatTemplate.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        return SamplingParameters(
            temperature: sampling.temperature, maxTokens: sampling.maxTokens, topP: sampling.topP, topK: sampling.topK,
            minP: sampling.minP, n: sampling.n, bestOf: vllm.bestOf, useBeamSearch: vllm.useBeamSearch,
            lengthPenalty: vllm.lengthPenalty, earlyStopping: vllm.earlyStopping, ignoreEOS: vllm.ignoreEos,
            minTokens: vllm.minTokens, stop: sampling.stop.isEmpty ? nil : sampling.stop,
            stopTokenIDs: vllm.stopTokenId.isEmpty ? nil : vllm.stopTokenId, skipSpecialTokens: vllm.skipSpecialTokens,
            spacesBetweenSpecialTokens: vllm.spacesBetweenSpecialTokens, repetitionPenalty: vllm.repetitionPenalty,
            presencePenalty: sampling.presencePenalty, frequencyPenalty: sampling.frequencyPenalty,
            logitBias: bias.isEmpty ? nil : bias, logprobs: sampling.logprobs ? true : nil,
            topLogprobs: sampling.topLogprobs, seed: sampling.seed, chatTemplate: template, extra: try vllm.extraFields())
    }

    /// Runs `body` with a chat model for these flags; the connection pool is closed afterwards. A server that
    /// cannot be reached is explained (``CLIError/explaining(_:)``).
    func withModel<T: Sendable>(_ body: (ChatVLLM) async throws -> T) async throws -> T {
        let parameters = try parameters()
        return try await exportingTelemetry {
            do {
                return try await ModelServerClient.withClient(try server.configuration()) { client in
                    try await body(ChatVLLM(client: client, model: server.ociEndpoint == nil ? model : "odsc-llm", parameters: parameters))
                }
            } catch {
                throw CLIError.explaining(error)
            }
        }
    }
}
