public import Catena
public import CatenaOpenAI

/// Everything a `completion` call may set besides the model and the messages: the chat model's parameters,
/// per-call endpoint overrides, caching, loggers and run handlers for this call only, a custom price and a mock response.
///
/// Printing or `dump` shows the key only masked and the headers only by name.
public struct CompletionOptions: Sendable, CustomReflectable {
    /// The sampling parameters, sent as given (`SamplingParameters.unset` by default: the server's defaults).
    public var parameters: SamplingParameters
    /// Tools the model may call.
    public var tools: [ToolDefinition]
    /// Which tool the model may or must call (`nil`: not sent).
    public var toolChoice: ToolChoice?
    /// The answer's required shape (`nil`: free text).
    public var responseFormat: ResponseFormat?
    /// The server for this call, instead of the provider's default (for `oci/…`: the deployment's predict URL).
    public var apiBase: String?
    /// The API key for this call, instead of the provider's environment variable.
    public var apiKey: Secret?
    /// Longest wait for the response head and for each next piece of the body (a whole answer comes in one piece,
    /// once generated); for a stream, ``streamTimeout`` instead when set.
    public var timeout: Duration?
    /// Longest wait for a stream's head and between its chunks (LiteLLM's `stream_timeout`); ``timeout`` when `nil`.
    public var streamTimeout: Duration?
    /// Longest wait to connect to the server; the provider's default (10 s) when `nil`.
    public var connectTimeout: Duration?
    /// Retries after the first attempt (429, 5xx, timeouts, lost connections); the provider's default when `nil`.
    public var maxRetries: Int?
    /// Headers sent with the request.
    public var headers: [String: String]
    /// Whether and how this call uses the client's cache.
    public var cache: CacheControl
    /// Loggers for this call only, after the client's registered loggers.
    public var loggers: [any CompletionLogger]
    /// Run handlers for this call only: the call is a chat model run (a child of the run in progress, if any), so
    /// any `CallbackHandler` (a tracer, `UsageTotals`, a `RunCollector`) sees its events.
    public var callbacks: [any CallbackHandler]
    /// Groups the calls of one logical request in logging (``LoggingPayload/traceID``; LiteLLM's
    /// `litellm_trace_id`): a router's attempts share one. `nil`: the call's own id.
    public var traceID: String?
    /// The price of this call's model, instead of the price table's.
    public var price: ModelPrice?
    /// Answers (or fails) without sending anything (LiteLLM's `mock_response`): a string literal answers with its
    /// text; see ``MockResponse`` for errors and failing streams. For tests and benchmarks.
    public var mockResponse: MockResponse?

    /// Creates options; every field is optional.
    public init(
        parameters: SamplingParameters = .unset, tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil,
        responseFormat: ResponseFormat? = nil, apiBase: String? = nil, apiKey: Secret? = nil, timeout: Duration? = nil,
        maxRetries: Int? = nil, headers: [String: String] = [:], cache: CacheControl = CacheControl(),
        loggers: [any CompletionLogger] = [], callbacks: [any CallbackHandler] = [], traceID: String? = nil,
        price: ModelPrice? = nil, mockResponse: MockResponse? = nil
    ) {
        self.parameters = parameters
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.apiBase = apiBase
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.headers = headers
        self.cache = cache
        self.loggers = loggers
        self.callbacks = callbacks
        self.traceID = traceID
        self.price = price
        self.mockResponse = mockResponse
    }

    /// Every field, with the key masked and header names only (their values may be credentials).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "parameters": parameters, "tools": tools, "toolChoice": toolChoice as Any,
                "responseFormat": responseFormat as Any, "apiBase": apiBase as Any, "apiKey": apiKey as Any,
                "timeout": timeout as Any, "streamTimeout": streamTimeout as Any,
                "connectTimeout": connectTimeout as Any,
                "maxRetries": maxRetries as Any, "headers": headers.keys.sorted(),
                "cache": cache, "loggers": loggers, "callbacks": callbacks, "traceID": traceID as Any,
                "price": price as Any, "mockResponse": mockResponse as Any,
            ], displayStyle: .struct)
    }
}

/// How one call uses the client's response cache.
public struct CacheControl: Sendable, Hashable {
    /// Whether the call reads and writes the cache (when the client has one).
    public var enabled: Bool
    /// How long a stored answer stays valid (`nil`: the cache's default, or forever).
    public var ttl: Duration?
    /// Keeps answers apart per namespace (per tenant, per experiment): the same request in another namespace misses.
    public var namespace: String?

    /// Creates a cache control; by default the call uses the cache.
    public init(enabled: Bool = true, ttl: Duration? = nil, namespace: String? = nil) {
        self.enabled = enabled
        self.ttl = ttl
        self.namespace = namespace
    }

    /// The call neither reads nor writes the cache.
    public static let disabled = CacheControl(enabled: false)
}
