/// Where a model server's routes live.
public enum ServerEndpoint: Sendable, Hashable {
    /// An OpenAI-compatible server (vLLM, llama.cpp's server, OpenAI, …); `baseURL` ends with the API version,
    /// such as `http://127.0.0.1:8000/v1`. Routes are appended to it; `/tokenize` lives at the server root.
    case openAICompatible(baseURL: String)
    /// An Oracle Cloud model deployment: `predictURL` is
    /// `https://modeldeployment.<region>.oci.customer-oci.com/<ocid>/predict`. Streams go to
    /// `…/predictWithResponseStream`, and the vLLM route travels in the `route` header.
    case ociModelDeployment(predictURL: String)

    /// The base URL (OpenAI-compatible) or predict URL (OCI).
    public var baseURL: String {
        switch self {
        case .openAICompatible(let baseURL): baseURL
        case .ociModelDeployment(let predictURL): predictURL
        }
    }

    /// The URL and extra headers of `route`.
    func target(_ route: ServerRoute, streaming: Bool) -> (url: String, headers: [String: String]) {
        switch self {
        case .openAICompatible(let baseURL):
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            if route == .tokenize {
                let root = base.hasSuffix("/v1") ? String(base.dropLast(3)) : base
                return (root + route.path, [:])
            }
            return (base + route.path, [:])
        case .ociModelDeployment(let predictURL):
            var url = predictURL
            if streaming, url.hasSuffix("/predict") { url += "WithResponseStream" }
            var headers = ["route": "/v1" + route.path]
            if streaming { headers["enable-streaming"] = "true" }
            return (url, headers)
        }
    }
}

/// A route of an OpenAI-compatible server.
package enum ServerRoute: String, Sendable, Hashable {
    /// `POST /chat/completions`.
    case chatCompletions
    /// `POST /completions`.
    case completions
    /// `GET /models`.
    case models
    /// `POST /tokenize` (vLLM and llama.cpp, at the server root).
    case tokenize
    /// `POST /messages` (Anthropic Messages).
    case messages
    /// `POST /responses` (OpenAI Responses).
    case responses
    /// `POST /embeddings`.
    case embeddings

    /// The path after the base URL.
    var path: String {
        switch self {
        case .chatCompletions: "/chat/completions"
        case .completions: "/completions"
        case .models: "/models"
        case .tokenize: "/tokenize"
        case .messages: "/messages"
        case .responses: "/responses"
        case .embeddings: "/embeddings"
        }
    }
}
