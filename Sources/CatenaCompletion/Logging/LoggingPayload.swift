public import Catena
public import CatenaOpenAI
public import Foundation

/// Everything known about one `completion` call, as the logging hooks receive it and a sink stores it.
///
/// Each hook gets the payload as it stands at that moment: the pre-API-call hook sees the request, the post-API-call
/// hook adds the raw response, success adds the response, usage, cost and end time, failure adds the error.
/// Encoded with `JSONEncoder` it is one JSON object with snake_case keys. The API key appears only masked.
public struct LoggingPayload: Sendable, Codable {
    /// Unique per call (per deployment attempt, for router calls).
    public var callID: String
    /// Shared by the calls of one logical request (a router call's attempts); ``CompletionOptions/traceID`` when
    /// given.
    public var traceID: String
    /// `completion` or `streaming_completion`.
    public var callType: CallType
    /// The model string the caller passed (`hosted_vllm/local`, or the router's group).
    public var model: String
    /// The provider prefix that served the call.
    public var provider: String
    /// The model name sent to the provider.
    public var providerModel: String?
    /// The base URL (or predict URL) called.
    public var apiBase: String?
    /// The API key, masked (`sk-…7890`); `nil` when none was sent.
    public var maskedAPIKey: String?
    /// The messages as passed (none for an embedding call).
    public var messages: [Message]
    /// The texts embedded (embedding calls only).
    public var input: [String]? = nil
    /// The model parameters sent (sampling parameters, tools, response format).
    public var modelParameters: [String: JSONValue]
    /// The caller's metadata.
    public var metadata: [String: JSONValue]
    /// Whether the call streams.
    public var stream: Bool
    /// When the call started.
    public var startTime: Date
    /// When the first chunk arrived (streams) or the response arrived.
    public var firstTokenTime: Date?
    /// When the call ended.
    public var endTime: Date?
    /// The exact request body sent, as text.
    public var requestBody: String?
    /// The response body as received (non-streaming calls).
    public var rawResponse: String?
    /// The response (non-streaming calls and cache hits; embedding calls report their usage only).
    public var response: CompletionResponse?
    /// The whole streamed response, assembled from its chunks (streaming calls, once complete).
    public var completeStreamingResponse: CompletionResponse?
    /// Token usage.
    public var usage: WireUsage?
    /// What the call cost in US dollars (0 for a cache hit; `nil` when the model has no price).
    public var responseCost: Double?
    /// Whether the answer came from the cache (`nil`: the call did not use a cache).
    public var cacheHit: Bool?
    /// The cache key of the request.
    public var cacheKey: String?
    /// What a cache hit saved: the cost the cached answer had.
    public var savedCost: Double?
    /// A cache failure (the call went on without the cache).
    public var cacheError: String?
    /// How the call stands.
    public var status: Status
    /// Why the call failed.
    public var error: ErrorInformation?
    /// How a router chose the deployment (router calls only).
    public var routing: RoutingInformation?

    /// The kind of call.
    public enum CallType: String, Sendable, Codable {
        /// A call that returns the whole response.
        case completion
        /// A call that streams chunks.
        case streamingCompletion = "streaming_completion"
        /// An embedding call.
        case embedding
    }

    /// How a call stands.
    public enum Status: String, Sendable, Codable {
        /// Not finished.
        case pending
        /// Answered.
        case success
        /// Failed.
        case failure
    }

    /// A failure, as a sink stores it.
    public struct ErrorInformation: Sendable, Codable, Hashable {
        /// The error type and case (`ModelServerError.rateLimited`).
        public var type: String
        /// The error's message.
        public var message: String
        /// Everything the error says, for debugging.
        public var description: String

        /// Describes `error`.
        public init(_ error: any Error) {
            type = errorTypeName(error)
            message = "\(error)"
            description = String(reflecting: error)
        }
    }

    enum CodingKeys: String, CodingKey {
        case callID = "call_id", traceID = "trace_id", callType = "call_type", model, provider
        case providerModel = "provider_model", apiBase = "api_base", maskedAPIKey = "api_key", messages, input
        case modelParameters = "model_parameters", metadata, stream, startTime = "start_time"
        case firstTokenTime = "first_token_time", endTime = "end_time", requestBody = "request_body"
        case rawResponse = "raw_response", response, completeStreamingResponse = "complete_streaming_response"
        case usage, responseCost = "response_cost", cacheHit = "cache_hit", cacheKey = "cache_key"
        case savedCost = "saved_cost", cacheError = "cache_error", status, error, routing
    }
}
