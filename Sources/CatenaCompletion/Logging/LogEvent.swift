public import CatenaOpenAI

/// A logging event of a `completion` call.
public enum LogEvent: Sendable {
    /// Before the request is sent.
    case preAPICall
    /// The response is complete.
    case postAPICall
    /// A chunk of a stream.
    indirect case streamChunk(CompletionResponse)
    /// The call succeeded.
    case success
    /// The call failed.
    case failure

    /// Hands the event to the matching hook of `logger`.
    func deliver(_ payload: LoggingPayload, to logger: any CompletionLogger) async throws {
        switch self {
        case .preAPICall: try await logger.logPreAPICall(payload)
        case .postAPICall: try await logger.logPostAPICall(payload)
        case .streamChunk(let chunk): try await logger.logStreamEvent(chunk, payload: payload)
        case .success: try await logger.logSuccess(payload)
        case .failure: try await logger.logFailure(payload)
        }
    }

    /// Whether the event is a call's last.
    var endsCall: Bool {
        switch self {
        case .success, .failure: true
        default: false
        }
    }

    /// The hook's name, for logs.
    var hookName: String {
        switch self {
        case .preAPICall: "logPreAPICall"
        case .postAPICall: "logPostAPICall"
        case .streamChunk: "logStreamEvent"
        case .success: "logSuccess"
        case .failure: "logFailure"
        }
    }
}
