public import Catena

/// How to reach a model server: endpoint, credentials, headers, timeouts and retries.
///
/// `description` and reflection (`dump`) never show the API key, the signer's secrets or header values.
public struct ModelServerConfiguration: Sendable, CustomStringConvertible, CustomReflectable {
    /// Where the routes live.
    public var endpoint: ServerEndpoint
    /// Sent as `Authorization: Bearer <key>`, or in the header ``apiKeyHeader`` names.
    public var apiKey: Secret?
    /// The header that carries the API key as it is (`x-api-key` for Anthropic); `nil`: `Authorization: Bearer`.
    public var apiKeyHeader: String?
    /// Signs each request (Oracle Cloud); used instead of the API key when set.
    public var signer: (any RequestSigner)?
    /// Headers sent with every request (copied into each request; the caller's value is never changed).
    public var headers: [String: String]
    /// Longest wait to connect.
    public var connectTimeout: Duration
    /// Longest wait for the response head, and for each next piece of a streamed body.
    public var readTimeout: Duration
    /// Retries on 429 (honouring `Retry-After`), 5xx, lost connections and timeouts; 3 attempts by default.
    /// A stream is never retried once it has produced output. A 429 whose `Retry-After` is longer than the
    /// policy's `maxDelay` (60 s by default) is not retried: the caller gets ``ModelServerError/rateLimited(retryAfter:message:)``
    /// with the server's wait (at most a day).
    public var retry: RetryPolicy

    /// Creates a configuration.
    public init(
        endpoint: ServerEndpoint,
        apiKey: Secret? = nil,
        signer: (any RequestSigner)? = nil,
        headers: [String: String] = [:],
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(120),
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry
    ) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.apiKeyHeader = nil
        self.signer = signer
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.retry = retry
    }

    /// An OpenAI-compatible server at `baseURL` (such as `http://127.0.0.1:8000/v1`).
    public static func openAICompatible(baseURL: String, apiKey: Secret? = nil) -> ModelServerConfiguration {
        ModelServerConfiguration(endpoint: .openAICompatible(baseURL: baseURL), apiKey: apiKey)
    }

    /// Anthropic's Messages API at `baseURL` (`https://api.anthropic.com/v1`, or any server that speaks it, such
    /// as llama.cpp's): the key travels in `x-api-key`, and `anthropic-version` is sent with every request.
    public static func anthropic(
        baseURL: String = "https://api.anthropic.com/v1", apiKey: Secret? = nil, version: String = "2023-06-01"
    ) -> ModelServerConfiguration {
        var configuration = ModelServerConfiguration(
            endpoint: .openAICompatible(baseURL: baseURL), apiKey: apiKey, headers: ["anthropic-version": version])
        configuration.apiKeyHeader = "x-api-key"
        return configuration
    }

    /// 3 attempts, waits of about 0.5 s then 1 s (plus up to 0.25 s of jitter), retrying only what may succeed;
    /// a `Retry-After` of up to 60 s is honoured, a longer one is not retried.
    public static let defaultRetry = RetryPolicy(
        maxAttempts: 3, initialDelay: .milliseconds(500), maxDelay: .seconds(60), jitter: .milliseconds(250),
        shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false })

    /// The endpoint, timeouts and retry count; credentials are never shown.
    public var description: String {
        "ModelServerConfiguration(endpoint: \(endpoint), apiKey: \(apiKey == nil ? "none" : "<redacted>"), "
            + "signer: \(signer == nil ? "none" : "\(type(of: signer!))"), headers: \(headers.keys.sorted()), "
            + "connectTimeout: \(connectTimeout), readTimeout: \(readTimeout), attempts: \(retry.maxAttempts))"
    }

    /// The fields, with the key masked, the signer's own (redacted) reflection and header names only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "apiKey": apiKey as Any, "signer": signer as Any,
                "headers": headers.keys.sorted(),
                "connectTimeout": connectTimeout, "readTimeout": readTimeout, "attempts": retry.maxAttempts,
            ], displayStyle: .struct)
    }
}
