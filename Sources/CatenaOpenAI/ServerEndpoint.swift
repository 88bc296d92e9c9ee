/// Where a model server's routes live: a base URL that each route's path is appended to, or, for a deployment
/// that serves one URL (an Oracle Cloud model deployment), that URL with the route in a header. A provider of your
/// own describes its server with one.
public struct ServerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The base URL routes are appended to (ending with the API version: `http://127.0.0.1:8000/v1`), or the one URL
    /// every request goes to.
    public var baseURL: String
    /// The header that carries the route's path with `/v1` before it, instead of the URL (`nil`: the path is
    /// appended to ``baseURL``).
    public var routeHeader: String?
    /// Where streaming requests go instead of ``baseURL`` (`nil`: the same URL).
    public var streamingURL: String?
    /// Headers a streaming request adds.
    public var streamingHeaders: [String: String]

    /// Creates an endpoint.
    public init(
        baseURL: String, routeHeader: String? = nil, streamingURL: String? = nil,
        streamingHeaders: [String: String] = [:]
    ) {
        self.baseURL = baseURL
        self.routeHeader = routeHeader
        self.streamingURL = streamingURL
        self.streamingHeaders = streamingHeaders
    }

    /// An OpenAI-compatible server (vLLM, llama.cpp's server, OpenAI, …): `baseURL` ends with the API version, such
    /// as `http://127.0.0.1:8000/v1`; routes are appended to it (those at the server root, to the URL without `/v1`).
    public static func openAICompatible(baseURL: String) -> ServerEndpoint {
        ServerEndpoint(baseURL: baseURL)
    }

    /// The base URL.
    public var description: String { baseURL }

    /// The URL and extra headers of `route`.
    func target(_ route: ServerRoute, streaming: Bool) -> (url: String, headers: [String: String]) {
        var headers = streaming ? streamingHeaders : [:]
        let url = streaming ? streamingURL ?? baseURL : baseURL
        if let routeHeader {
            headers[routeHeader] = "/v1" + route.path
            return (url, headers)
        }
        var base = url.hasSuffix("/") ? String(url.dropLast()) : url
        if route.atServerRoot, base.hasSuffix("/v1") { base.removeLast(3) }
        return (base + route.path, headers)
    }
}

/// A route of a model server: the path after the base URL. A provider of your own adds its routes as static
/// members (`extension ServerRoute { static let rerank = ServerRoute(path: "/rerank") }`).
public struct ServerRoute: Sendable, Hashable {
    /// The path after the base URL (`/chat/completions`).
    public var path: String
    /// Whether the route lives at the server's root rather than under the API version (`/tokenize`).
    public var atServerRoot: Bool

    /// Creates a route.
    public init(path: String, atServerRoot: Bool = false) {
        self.path = path
        self.atServerRoot = atServerRoot
    }

    /// `POST /chat/completions`.
    public static let chatCompletions = ServerRoute(path: "/chat/completions")
    /// `POST /completions`.
    public static let completions = ServerRoute(path: "/completions")
    /// `GET /models`.
    public static let models = ServerRoute(path: "/models")
    /// `POST /tokenize` (vLLM and llama.cpp, at the server root).
    public static let tokenize = ServerRoute(path: "/tokenize", atServerRoot: true)
    /// `POST /embeddings`.
    public static let embeddings = ServerRoute(path: "/embeddings")
}
