import ArgumentParser
import Catena
import CatenaOCI
import CatenaOpenAI
import Foundation

/// Where the model is and how to reach it.
struct ServerOptions: ParsableArguments {
    @Option(
        help:
            "Base URL of an OpenAI-compatible server (default: $CATENA_BASE_URL, $OPENAI_BASE_URL, or the local server http://127.0.0.1:8089/v1)."
    )
    var baseURL: String?
    @Option(help: "API key (default: $CATENA_API_KEY or $OPENAI_API_KEY).")
    var apiKey: String?
    @Option(help: "An Oracle Cloud model deployment's predict URL (signed with --oci-profile) instead of --base-url.")
    var ociEndpoint: String?
    @Option(help: "The ~/.oci/config profile that signs OCI requests.")
    var ociProfile = "DEFAULT"
    @Option(help: "Model name.") var model = "local"
    @Option(help: "Seconds to wait for a response or the next chunk.") var timeout: Double = 120
    @Option(help: "Attempts per request (retries on 429, 5xx, timeouts).") var attempts: Int = 3

    func validate() throws {
        if ociEndpoint == nil, let reason = ModelServerError.invalidURLReason(serverURL) {
            throw ValidationError(
                "the server URL '\(serverURL)' is \(reason); give one such as http://127.0.0.1:8089/v1")
        }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400, got \(timeout)")
        }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1, got \(attempts)") }
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
        retry.maxAttempts = attempts
        let readTimeout = Duration.milliseconds(Int64(timeout * 1000))
        if let ociEndpoint {
            return ModelServerConfiguration(
                endpoint: .ociModelDeployment(predictURL: ociEndpoint),
                signer: try OCIRequestSigner(profile: ociProfile),
                readTimeout: readTimeout, retry: retry)
        }
        let key = apiKey ?? environment["CATENA_API_KEY"] ?? environment["OPENAI_API_KEY"]
        return ModelServerConfiguration(
            endpoint: .openAICompatible(baseURL: serverURL), apiKey: key.map { Secret($0) }, readTimeout: readTimeout,
            retry: retry)
    }
}
