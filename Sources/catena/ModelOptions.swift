import ArgumentParser
import Catena
import CatenaOCI
import CatenaOpenAI
import Foundation

/// The server and every model flag, shared by all commands.
struct ModelOptions: ParsableArguments {
    @Option(help: "Base URL of an OpenAI-compatible server (default: $CATENA_BASE_URL, $OPENAI_BASE_URL, or the local server http://127.0.0.1:8089/v1).")
    var baseURL: String?
    @Option(help: "API key (default: $CATENA_API_KEY or $OPENAI_API_KEY).")
    var apiKey: String?
    @Option(help: "An Oracle Cloud model deployment's predict URL (signed with --oci-profile) instead of --base-url.")
    var ociEndpoint: String?
    @Option(help: "The ~/.oci/config profile that signs OCI requests.")
    var ociProfile = "DEFAULT"
    @Option(help: "Model name.") var model = "local"
    @Option(help: "Sampling temperature.") var temperature: Double = 0.2
    @Option(help: "Most tokens to generate.") var maxTokens: Int = 256
    @Option(help: "Nucleus sampling mass.") var topP: Double = 1
    @Option(help: "Top-k sampling (-1: off).") var topK: Int?
    @Option(help: "Min-p sampling.") var minP: Double?
    @Option(help: "Candidates to return.") var n: Int?
    @Option(help: "Candidates to generate.") var bestOf: Int?
    @Flag(inversion: .prefixedNo, help: "Beam search.") var useBeamSearch: Bool?
    @Option(help: "Beam search length penalty.") var lengthPenalty: Double?
    @Flag(inversion: .prefixedNo, help: "Beam search early stopping.") var earlyStopping: Bool?
    @Flag(inversion: .prefixedNo, help: "Ignore the end-of-sequence token.") var ignoreEos: Bool?
    @Option(help: "Generate at least this many tokens.") var minTokens: Int?
    @Option(help: "A stop sequence (repeatable).") var stop: [String] = []
    @Option(help: "A stop token id (repeatable).") var stopTokenId: [Int] = []
    @Flag(inversion: .prefixedNo, help: "Skip special tokens in the output.") var skipSpecialTokens: Bool?
    @Flag(inversion: .prefixedNo, help: "Spaces between special tokens.") var spacesBetweenSpecialTokens: Bool?
    @Option(help: "Repetition penalty.") var repetitionPenalty: Double?
    @Option(help: "Presence penalty.") var presencePenalty: Double = 0
    @Option(help: "Frequency penalty.") var frequencyPenalty: Double = 0
    @Option(help: "Logit bias as TOKEN=BIAS (repeatable).") var logitBias: [String] = []
    @Flag(help: "Return log probabilities.") var logprobs = false
    @Option(help: "Alternatives per token with --logprobs.") var topLogprobs: Int?
    @Option(help: "Sampling seed.") var seed: Int?
    @Option(help: "A Jinja chat template file to use instead of the model's.") var chatTemplate: String?
    @Option(help: "Any other request field as KEY=JSON (repeatable).") var extra: [String] = []
    @Option(help: "Seconds to wait for a response or the next chunk.") var timeout: Double = 120
    @Option(help: "Attempts per request (retries on 429, 5xx, timeouts).") var attempts: Int = 3

    /// Checks the flags before anything runs, so a mistake names its flag under the right command's usage.
    func validate() throws {
        if ociEndpoint == nil, let reason = ModelServerError.invalidURLReason(serverURL) {
            throw ValidationError("the server URL '\(serverURL)' is \(reason); give one such as http://127.0.0.1:8089/v1")
        }
        guard maxTokens > 0 else { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens)") }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400, got \(timeout)")
        }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1, got \(attempts)") }
        if let chatTemplate, !FileManager.default.isReadableFile(atPath: chatTemplate) {
            let exists = FileManager.default.fileExists(atPath: chatTemplate)
            throw ValidationError("cannot read the --chat-template file \(chatTemplate): \(exists ? "permission denied" : "no such file")")
        }
        _ = try parameters()
    }

    /// The server's base URL: the flag, `$CATENA_BASE_URL`, `$OPENAI_BASE_URL`, or the local server.
    var serverURL: String {
        let environment = ProcessInfo.processInfo.environment
        return baseURL ?? environment["CATENA_BASE_URL"] ?? environment["OPENAI_BASE_URL"] ?? "http://127.0.0.1:8089/v1"
    }

    /// The client configuration the flags and environment describe.
    func configuration() throws -> ModelServerConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var retry = ModelServerConfiguration.defaultRetry
        retry.maxAttempts = max(1, attempts)
        if let ociEndpoint {
            return ModelServerConfiguration(
                endpoint: .ociModelDeployment(predictURL: ociEndpoint), signer: try OCIRequestSigner(profile: ociProfile),
                readTimeout: .milliseconds(Int64(timeout * 1000)), retry: retry)
        }
        let key = apiKey ?? environment["CATENA_API_KEY"] ?? environment["OPENAI_API_KEY"]
        return ModelServerConfiguration(
            endpoint: .openAICompatible(baseURL: serverURL), apiKey: key.map { Secret($0) },
            readTimeout: .milliseconds(Int64(timeout * 1000)), retry: retry)
    }

    /// The sampling parameters the flags describe.
    func parameters() throws -> SamplingParameters {
        var bias: [String: Double] = [:]
        for entry in logitBias {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--logit-bias expects TOKEN=BIAS, got '\(entry)'")
            }
            bias[String(parts[0])] = value
        }
        var fields: [String: JSONValue] = [:]
        for entry in extra {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = try? JSONValue(parsing: String(parts[1])) else {
                throw ValidationError("--extra expects KEY=JSON, got '\(entry)'")
            }
            fields[String(parts[0])] = value
        }
        let template = chatTemplate.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        return SamplingParameters(
            temperature: temperature, maxTokens: maxTokens, topP: topP, topK: topK, minP: minP, n: n, bestOf: bestOf,
            useBeamSearch: useBeamSearch, lengthPenalty: lengthPenalty, earlyStopping: earlyStopping, ignoreEOS: ignoreEos,
            minTokens: minTokens, stop: stop.isEmpty ? nil : stop, stopTokenIDs: stopTokenId.isEmpty ? nil : stopTokenId,
            skipSpecialTokens: skipSpecialTokens, spacesBetweenSpecialTokens: spacesBetweenSpecialTokens,
            repetitionPenalty: repetitionPenalty, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            logitBias: bias.isEmpty ? nil : bias, logprobs: logprobs ? true : nil, topLogprobs: topLogprobs, seed: seed,
            chatTemplate: template, extra: fields)
    }

    /// Runs `body` with a chat model for these flags; the connection pool is closed afterwards. A server that
    /// cannot be reached is explained (``CLIError/explaining(_:)``).
    func withModel<T>(_ body: (ChatVLLM) async throws -> T) async throws -> T {
        let parameters = try parameters()
        do {
            return try await ModelServerClient.withClient(try configuration()) { client in
                try await body(ChatVLLM(client: client, model: ociEndpoint == nil ? model : "odsc-llm", parameters: parameters))
            }
        } catch {
            throw CLIError.explaining(error)
        }
    }
}
