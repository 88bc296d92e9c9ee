import CatenaOpenAI

/// Whose a failed attempt is: the caller's request, or the deployment (LiteLLM's rules, in its router's
/// `cooldown_handlers.py`). A request the upstream refused for what it asked (400, 413, 422 and other 4xx but 408:
/// a bad field, a context window passed) is the caller's: it is not tried on another deployment, and it counts
/// against no deployment, so one caller's bad requests cannot take a model down for the others. What says the
/// deployment is broken or misconfigured counts: 401/403 (its own key refused), 404 (the model unknown there), 408,
/// 429, 5xx, timeouts, refused and lost connections, garbage answers.
enum FailureBlame {
    case caller
    case deployment

    init(_ error: any Error) {
        switch error as? ModelServerError {
        case .badRequest?: self = .caller
        case .unexpectedStatus(let status, _)? where (400..<500).contains(status) && status != 408: self = .caller
        default: self = .deployment
        }
    }
}

/// Why a deployment was not tried: it is cooling down after failing.
public struct DeploymentCoolingDown: Error, Sendable, CustomStringConvertible {
    /// How it last failed.
    public var lastFailure: String
    /// How long it stays left out.
    public var remaining: Duration

    /// What happened and when it is tried again.
    public var description: String {
        "cooling down for \(max(1, remaining.components.seconds)) s more after failing: \(lastFailure)"
    }
}
