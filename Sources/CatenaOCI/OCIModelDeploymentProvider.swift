public import Catena
public import CatenaCompletion
public import CatenaOpenAI
public import Foundation

/// `oci/<model>`: an Oracle Cloud model deployment, every request signed with an `~/.oci/config` profile. Register
/// it to reach deployments through `completion`:
///
/// ```swift
/// let llm = CompletionClient(providers: .standard().registering(OCIModelDeploymentProvider()))
/// ```
///
/// The predict URL comes from the call's `apiBase` or `OCI_MODEL_DEPLOYMENT_ENDPOINT`; the profile from
/// `OCI_CLI_PROFILE` (default `DEFAULT`) in `OCI_CONFIG_FILE` (default `~/.oci/config`). The model name is what
/// the deployment serves (`odsc-llm` for AI Quick Actions). Only those variables are kept.
public final class OCIModelDeploymentProvider: CompletionProvider, CustomReflectable {
    public let name: String
    private let environment: [String: String]
    private let retry: RetryPolicy
    private let clients = ClientPool()

    /// Creates the provider.
    public init(
        name: String = "oci", environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry
    ) {
        self.name = name
        self.environment = environment.filter { Self.variables.contains($0.key) }
        self.retry = retry
    }

    /// The environment variables the provider reads.
    private static let variables = ["OCI_MODEL_DEPLOYMENT_ENDPOINT", "OCI_CLI_PROFILE", "OCI_CONFIG_FILE"]

    /// The name and the variables read (their values, like the signer's, never show).
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "variables": Self.variables], displayStyle: .class)
    }

    public func deployment(for model: String, options: CompletionOptions) throws -> ProviderDeployment {
        guard let predictURL = options.apiBase ?? environment["OCI_MODEL_DEPLOYMENT_ENDPOINT"] else {
            throw CompletionError.missingConfiguration(
                provider: name,
                what: "the deployment's predict URL: pass `apiBase` or set OCI_MODEL_DEPLOYMENT_ENDPOINT")
        }
        let profile = environment["OCI_CLI_PROFILE"] ?? "DEFAULT"
        let configPath = environment["OCI_CONFIG_FILE"]
        let key = ClientPool.Key(
            endpoint: .ociModelDeployment(predictURL: predictURL),
            credentialProfile: "\(configPath ?? "~/.oci/config")#\(profile)",
            options: options)
        let client = try clients.client(for: key) {
            let signer = try OCIRequestSigner(profile: profile, configPath: configPath)
            return ModelServerConfiguration(endpoint: key.endpoint, signer: signer, retry: retry)
                .applying(key)
        }
        return ProviderDeployment(client: client, model: model, apiBase: predictURL)
    }

    public func shutdown() async throws {
        try await clients.shutdown()
    }
}
