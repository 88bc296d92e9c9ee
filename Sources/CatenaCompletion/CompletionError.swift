/// Why a `completion` call could not be made. Failures of the call itself are `ModelServerError`s.
public enum CompletionError: Error, Sendable, CustomStringConvertible {
    /// The model string names no registered provider.
    case unknownProvider(String, model: String, known: [String])
    /// A model name without a provider prefix that the price table does not know either.
    case unknownModel(String)
    /// The provider needs something the call and the environment do not give (a base URL, a key, an OCI profile).
    case missingConfiguration(provider: String, what: String)
    /// The provider's wire format has no embeddings API (Anthropic's Messages, for one).
    case embeddingsUnsupported(provider: String, model: String)
    /// A router model group that is not configured.
    case unknownModelGroup(String, known: [String])
    /// Every deployment of a router group (and of its fallback groups) failed; the attempts in order (none when
    /// every deployment was cooling down).
    case allDeploymentsFailed(group: String, attempts: [FailedAttempt])
    /// The client was shut down (its `shutdown()` ran, or its service group ended): make a new one.
    case clientShutDown

    /// One failed deployment attempt of a router call.
    public struct FailedAttempt: Sendable {
        /// The deployment's id.
        public var deployment: String
        /// What went wrong.
        public var error: any Error
    }

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .unknownProvider(let provider, let model, let known):
            "unknown provider '\(provider)' in model '\(model)'; use one of \(known.joined(separator: ", ")) "
                + "(as 'provider/model') or register "
                + (Self.registrations[provider] ?? "a provider")
        case .unknownModel(let model):
            "unknown model '\(model)': prefix it with its provider, such as 'openai/\(model)' or 'hosted_vllm/\(model)'"
        case .missingConfiguration(let provider, let what):
            "provider '\(provider)' needs \(what)"
        case .embeddingsUnsupported(let provider, let model):
            "provider '\(provider)' cannot embed with '\(model)': its wire format has no embeddings API; use an "
                + "OpenAI-compatible provider (such as 'openai/…' or 'hosted_vllm/…') for embeddings"
        case .clientShutDown:
            "the completion client was shut down; its connections and logging are closed, so make a new client"
        case .unknownModelGroup(let group, let known):
            "no model group '\(group)' in the router; configured groups: \(known.joined(separator: ", "))"
        case .allDeploymentsFailed(let group, let attempts) where attempts.isEmpty:
            "no deployment for '\(group)' is available: each is cooling down after failing; try again later"
        case .allDeploymentsFailed(let group, let attempts):
            "every deployment for '\(group)' failed: "
                + attempts.map { "\($0.deployment): \($0.error)" }.joined(separator: "; ")
        }
    }
}

extension CompletionError {
    /// What to register (`ProviderRegistry.registering(_:)`) for the providers Catena ships outside
    /// `CatenaCompletion`, by prefix.
    static let registrations = [
        "anthropic": "ModelServerProvider.anthropic() from CatenaAnthropic",
        "oci": "OCIModelDeploymentProvider() from CatenaOCI",
    ]
}
