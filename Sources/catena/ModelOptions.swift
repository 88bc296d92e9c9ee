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
    @OptionGroup(title: "Telemetry") var telemetry: TelemetryOptions

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
            topLogprobs: sampling.topLogprobs, seed: sampling.seed, chatTemplate: template,
            extra: try vllm.extraFields())
    }

    /// Runs `body` with a chat model for these flags; the connection pool is closed afterwards. A server that
    /// cannot be reached is explained (``CLIError/explaining(_:)``).
    func withModel<T: Sendable>(_ body: (ChatVLLM) async throws -> T) async throws -> T {
        let parameters = try parameters()
        return try await telemetry.exporting {
            do {
                return try await ModelServerClient.withClient(try server.configuration()) { client in
                    try await body(
                        ChatVLLM(
                            client: client, model: server.ociEndpoint == nil ? model : "odsc-llm",
                            parameters: parameters))
                }
            } catch {
                throw CLIError.explaining(error)
            }
        }
    }
}
