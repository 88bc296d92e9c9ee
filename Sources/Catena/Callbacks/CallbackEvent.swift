/// One callback event as a value: what ``BufferedCallbackHandler`` queues and what an ``AsyncCallbackHandler``
/// receives. `deliver(to:)` replays it on a ``CallbackHandler``.
public enum CallbackEvent: Sendable {
    /// See ``CallbackHandler/onLLMStart(_:prompts:parameters:)``.
    case llmStart(RunInfo, prompts: [String], parameters: InvocationParameters)
    /// See ``CallbackHandler/onChatModelStart(_:messages:parameters:)``.
    case chatModelStart(RunInfo, messages: [[Message]], parameters: InvocationParameters)
    /// See ``CallbackHandler/onLLMNewToken(_:token:chunk:)``.
    case llmNewToken(RunInfo, token: String, chunk: Generation?)
    /// See ``CallbackHandler/onLLMEnd(_:result:)``.
    case llmEnd(RunInfo, result: LLMResult)
    /// See ``CallbackHandler/onLLMError(_:error:partial:)``.
    case llmError(RunInfo, error: any Error, partial: LLMResult)
    /// See ``CallbackHandler/onChainStart(_:inputs:)``.
    case chainStart(RunInfo, inputs: RunValue)
    /// See ``CallbackHandler/onChainStream(_:chunk:)``.
    case chainStream(RunInfo, chunk: RunValue)
    /// See ``CallbackHandler/onChainEnd(_:outputs:)``.
    case chainEnd(RunInfo, outputs: RunValue)
    /// See ``CallbackHandler/onChainError(_:error:)``.
    case chainError(RunInfo, error: any Error)
    /// See ``CallbackHandler/onToolStart(_:input:)``.
    case toolStart(RunInfo, input: JSONValue)
    /// See ``CallbackHandler/onToolEnd(_:output:)``.
    case toolEnd(RunInfo, output: String)
    /// See ``CallbackHandler/onToolError(_:error:)``.
    case toolError(RunInfo, error: any Error)
    /// See ``CallbackHandler/onRetrieverStart(_:query:)``.
    case retrieverStart(RunInfo, query: String)
    /// See ``CallbackHandler/onRetrieverEnd(_:documents:)``.
    case retrieverEnd(RunInfo, documents: [Document])
    /// See ``CallbackHandler/onRetrieverError(_:error:)``.
    case retrieverError(RunInfo, error: any Error)
    /// See ``CallbackHandler/onText(_:text:)``.
    case text(RunInfo, text: String)
    /// See ``CallbackHandler/onRetry(_:state:)``.
    case retry(RunInfo, state: RetryState)
    /// See ``CallbackHandler/onCustomEvent(_:name:data:)``.
    case customEvent(RunInfo, name: String, data: JSONValue)

    /// The run the event belongs to.
    public var run: RunInfo {
        switch self {
        case .llmStart(let run, _, _), .chatModelStart(let run, _, _), .llmNewToken(let run, _, _),
            .llmEnd(let run, _), .llmError(let run, _, _), .chainStart(let run, _), .chainStream(let run, _),
            .chainEnd(let run, _), .chainError(let run, _), .toolStart(let run, _), .toolEnd(let run, _),
            .toolError(let run, _), .retrieverStart(let run, _), .retrieverEnd(let run, _),
            .retrieverError(let run, _), .text(let run, _), .retry(let run, _), .customEvent(let run, _, _):
            run
        }
    }

    /// Calls the matching hook of `handler`.
    public func deliver(to handler: any CallbackHandler) throws {
        switch self {
        case .llmStart(let run, let prompts, let parameters):
            try handler.onLLMStart(run, prompts: prompts, parameters: parameters)
        case .chatModelStart(let run, let messages, let parameters):
            try handler.onChatModelStart(run, messages: messages, parameters: parameters)
        case .llmNewToken(let run, let token, let chunk): try handler.onLLMNewToken(run, token: token, chunk: chunk)
        case .llmEnd(let run, let result): try handler.onLLMEnd(run, result: result)
        case .llmError(let run, let error, let partial): try handler.onLLMError(run, error: error, partial: partial)
        case .chainStart(let run, let inputs): try handler.onChainStart(run, inputs: inputs)
        case .chainStream(let run, let chunk): try handler.onChainStream(run, chunk: chunk)
        case .chainEnd(let run, let outputs): try handler.onChainEnd(run, outputs: outputs)
        case .chainError(let run, let error): try handler.onChainError(run, error: error)
        case .toolStart(let run, let input): try handler.onToolStart(run, input: input)
        case .toolEnd(let run, let output): try handler.onToolEnd(run, output: output)
        case .toolError(let run, let error): try handler.onToolError(run, error: error)
        case .retrieverStart(let run, let query): try handler.onRetrieverStart(run, query: query)
        case .retrieverEnd(let run, let documents): try handler.onRetrieverEnd(run, documents: documents)
        case .retrieverError(let run, let error): try handler.onRetrieverError(run, error: error)
        case .text(let run, let text): try handler.onText(run, text: text)
        case .retry(let run, let state): try handler.onRetry(run, state: state)
        case .customEvent(let run, let name, let data): try handler.onCustomEvent(run, name: name, data: data)
        }
    }

    /// Whether `handler`'s ignore flags filter this event out.
    public func isIgnored(by handler: any CallbackHandler) -> Bool { kind.isIgnored(by: handler) }

    /// The family of hooks this event belongs to.
    var kind: HookKind {
        switch self {
        case .chatModelStart: .chatModelStart
        case .llmStart, .llmNewToken, .llmEnd, .llmError: .llm
        case .chainStart, .chainStream, .chainEnd, .chainError: .chain
        case .toolStart, .toolEnd, .toolError: .tool
        case .retrieverStart, .retrieverEnd, .retrieverError: .retriever
        case .retry: .retry
        case .customEvent: .customEvent
        case .text: .text
        }
    }

    /// Whether this event ends its run (an end or error hook).
    public var endsRun: Bool {
        switch self {
        case .llmEnd, .llmError, .chainEnd, .chainError, .toolEnd, .toolError, .retrieverEnd, .retrieverError: true
        default: false
        }
    }
}

extension CallbackEvent {
    /// The hook's name as LangChain spells it (`on_llm_start`, `on_chain_end`, …), for logs and comparisons.
    public var hookName: String {
        switch self {
        case .llmStart: "on_llm_start"
        case .chatModelStart: "on_chat_model_start"
        case .llmNewToken: "on_llm_new_token"
        case .llmEnd: "on_llm_end"
        case .llmError: "on_llm_error"
        case .chainStart: "on_chain_start"
        case .chainStream: "on_chain_stream"
        case .chainEnd: "on_chain_end"
        case .chainError: "on_chain_error"
        case .toolStart: "on_tool_start"
        case .toolEnd: "on_tool_end"
        case .toolError: "on_tool_error"
        case .retrieverStart: "on_retriever_start"
        case .retrieverEnd: "on_retriever_end"
        case .retrieverError: "on_retriever_error"
        case .text: "on_text"
        case .retry: "on_retry"
        case .customEvent: "on_custom_event"
        }
    }
}
