/// A handler that takes every event as one ``CallbackEvent`` value instead of implementing the hooks one by one.
///
/// ```swift
/// struct Logger: EventCallbackHandler {
///     func handle(_ event: CallbackEvent) throws { print(event.run.name, event) }
/// }
/// ```
public protocol EventCallbackHandler: CallbackHandler {
    /// Receives every event that the ignore flags let through.
    func handle(_ event: CallbackEvent) throws
}

extension EventCallbackHandler {
    public func onLLMStart(_ run: RunInfo, prompts: [String], parameters: InvocationParameters) throws {
        try handle(.llmStart(run, prompts: prompts, parameters: parameters))
    }
    public func onChatModelStart(_ run: RunInfo, messages: [[Message]], parameters: InvocationParameters) throws {
        try handle(.chatModelStart(run, messages: messages, parameters: parameters))
    }
    public func onLLMNewToken(_ run: RunInfo, token: String, chunk: Generation?) throws {
        try handle(.llmNewToken(run, token: token, chunk: chunk))
    }
    public func onLLMEnd(_ run: RunInfo, result: LLMResult) throws { try handle(.llmEnd(run, result: result)) }
    public func onLLMError(_ run: RunInfo, error: any Error, partial: LLMResult) throws {
        try handle(.llmError(run, error: error, partial: partial))
    }
    public func onChainStart(_ run: RunInfo, inputs: RunValue) throws { try handle(.chainStart(run, inputs: inputs)) }
    public func onChainStream(_ run: RunInfo, chunk: RunValue) throws { try handle(.chainStream(run, chunk: chunk)) }
    public func onChainEnd(_ run: RunInfo, outputs: RunValue) throws { try handle(.chainEnd(run, outputs: outputs)) }
    public func onChainError(_ run: RunInfo, error: any Error) throws { try handle(.chainError(run, error: error)) }
    public func onToolStart(_ run: RunInfo, input: JSONValue) throws { try handle(.toolStart(run, input: input)) }
    public func onToolEnd(_ run: RunInfo, output: String) throws { try handle(.toolEnd(run, output: output)) }
    public func onToolError(_ run: RunInfo, error: any Error) throws { try handle(.toolError(run, error: error)) }
    public func onRetrieverStart(_ run: RunInfo, query: String) throws {
        try handle(.retrieverStart(run, query: query))
    }
    public func onRetrieverEnd(_ run: RunInfo, documents: [Document]) throws {
        try handle(.retrieverEnd(run, documents: documents))
    }
    public func onRetrieverError(_ run: RunInfo, error: any Error) throws {
        try handle(.retrieverError(run, error: error))
    }
    public func onText(_ run: RunInfo, text: String) throws { try handle(.text(run, text: text)) }
    public func onRetry(_ run: RunInfo, state: RetryState) throws { try handle(.retry(run, state: state)) }
    public func onCustomEvent(_ run: RunInfo, name: String, data: JSONValue) throws {
        try handle(.customEvent(run, name: name, data: data))
    }
}
