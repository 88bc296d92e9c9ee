import Catena
import CatenaCompletion

/// A chat call as a request asks for it, in either API the gateway speaks: the model asked for, the messages,
/// whether to stream (and with the usage at the end), and the call's options.
struct ChatCall: Sendable {
    var model: String
    var messages: [Message]
    var stream: Bool
    /// Whether an OpenAI stream ends with the usage (`stream_options.include_usage`; Anthropic's streams always do).
    var streamsUsage = false
    var options: CompletionOptions
}

extension RequestFields {
    /// `stream_options.include_usage` (`false` when absent, as OpenAI's API defaults).
    /// - Throws: ``GatewayError`` (400) when `stream_options` is not an object or `include_usage` not a boolean.
    func includesUsage() throws(GatewayError) -> Bool {
        guard let options = value("stream_options") else { return false }
        guard case .object(let members) = options else {
            throw .invalidRequest("'stream_options' must be an object", param: "stream_options")
        }
        guard let include = members["include_usage"] else { return false }
        guard let flag = include.boolValue else {
            throw .invalidRequest(
                "'stream_options.include_usage' must be true or false", param: "stream_options.include_usage")
        }
        return flag
    }
}
