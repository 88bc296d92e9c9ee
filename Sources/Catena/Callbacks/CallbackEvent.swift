/// One event of a run: the single value the framework dispatches to every handler, and what
/// ``BufferedCallbackHandler`` queues, ``RunRecord`` keeps and an ``AsyncCallbackHandler`` receives.
///
/// ```swift
/// if case .llmNewToken(let token, _) = event.payload { print(token, terminator: "") }
/// ```
public struct CallbackEvent: Sendable {
    /// The run the event belongs to.
    public let run: RunInfo
    /// What happened.
    public let payload: Payload

    /// Creates an event of `run`.
    public init(_ run: RunInfo, _ payload: Payload) {
        self.run = run
        self.payload = payload
    }

    /// What happened in a run. Each case has a named hook on ``CallbackHandler`` of the same name (`on…`).
    public enum Payload: Sendable {
        /// A text model run started with these prompts.
        case llmStart(prompts: [String], parameters: InvocationParameters)
        /// A chat model run started with these message lists.
        case chatModelStart(messages: [[Message]], parameters: InvocationParameters)
        /// A model produced a token (reported before the chunk is yielded to the consumer).
        case llmNewToken(token: String, chunk: Generation?)
        /// A model run sent its request: the exact body, once per run (retries resend it; see ``retry(_:)``).
        case llmRequest(body: [UInt8])
        /// A model run's whole answer arrived: the body as received (`nil` when none was read, as for a mock).
        /// A stream reports no response event: its chunks are its tokens, and its end is the run's end.
        case llmResponse(body: [UInt8]?)
        /// A model run ended.
        case llmEnd(result: LLMResult)
        /// A model run failed; `partial` holds what was generated before the error.
        case llmError(error: any Error, partial: LLMResult)
        /// A chain run (sequence, lambda, prompt, parser, …) started.
        case chainStart(inputs: RunValue)
        /// A chain run yielded a stream chunk (only while streaming).
        case chainStream(chunk: RunValue)
        /// A chain run ended.
        case chainEnd(outputs: RunValue)
        /// A chain run failed.
        case chainError(error: any Error)
        /// A tool run started with this input.
        case toolStart(input: JSONValue)
        /// A tool run ended.
        case toolEnd(output: String)
        /// A tool run failed.
        case toolError(error: any Error)
        /// A retriever run started with this query.
        case retrieverStart(query: String)
        /// A retriever run ended with these documents.
        case retrieverEnd(documents: [Document])
        /// A retriever run failed.
        case retrieverError(error: any Error)
        /// A run reported some text.
        case text(String)
        /// A run is about to retry after a failed attempt.
        case retry(RetryState)
        /// A model run is answered from its cache instead of the model.
        case cacheHit
        /// A model run with a cache found no answer in it (or the cache failed): the model is called.
        case cacheMiss
        /// User code dispatched a custom event inside a run.
        case customEvent(name: String, data: JSONValue)

        /// The hook's name as LangChain spells it (`on_llm_start`, `on_chain_end`, …), for logs and comparisons.
        public var hookName: String {
            switch self {
            case .llmStart: "on_llm_start"
            case .chatModelStart: "on_chat_model_start"
            case .llmNewToken: "on_llm_new_token"
            case .llmRequest: "on_llm_request"
            case .llmResponse: "on_llm_response"
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
            case .cacheHit: "on_cache_hit"
            case .cacheMiss: "on_cache_miss"
            case .customEvent: "on_custom_event"
            }
        }

        /// The error event that ends a run of `type` with `error`.
        static func error(_ error: any Error, endingRunOf type: RunType) -> Payload {
            switch type {
            case .llm, .chatModel, .embedding: .llmError(error: error, partial: .empty)
            case .chain, .prompt, .parser: .chainError(error: error)
            case .tool: .toolError(error: error)
            case .retriever: .retrieverError(error: error)
            }
        }
    }

    /// Calls the named hook of `handler` that matches the payload: what ``CallbackHandler/handle(_:)`` does unless
    /// the handler implements it.
    public func deliver(to handler: some CallbackHandler) throws {
        switch payload {
        case .llmStart(let prompts, let parameters):
            try handler.onLLMStart(run, prompts: prompts, parameters: parameters)
        case .chatModelStart(let messages, let parameters):
            try handler.onChatModelStart(run, messages: messages, parameters: parameters)
        case .llmNewToken(let token, let chunk): try handler.onLLMNewToken(run, token: token, chunk: chunk)
        case .llmRequest(let body): try handler.onLLMRequest(run, body: body)
        case .llmResponse(let body): try handler.onLLMResponse(run, body: body)
        case .llmEnd(let result): try handler.onLLMEnd(run, result: result)
        case .llmError(let error, let partial): try handler.onLLMError(run, error: error, partial: partial)
        case .chainStart(let inputs): try handler.onChainStart(run, inputs: inputs)
        case .chainStream(let chunk): try handler.onChainStream(run, chunk: chunk)
        case .chainEnd(let outputs): try handler.onChainEnd(run, outputs: outputs)
        case .chainError(let error): try handler.onChainError(run, error: error)
        case .toolStart(let input): try handler.onToolStart(run, input: input)
        case .toolEnd(let output): try handler.onToolEnd(run, output: output)
        case .toolError(let error): try handler.onToolError(run, error: error)
        case .retrieverStart(let query): try handler.onRetrieverStart(run, query: query)
        case .retrieverEnd(let documents): try handler.onRetrieverEnd(run, documents: documents)
        case .retrieverError(let error): try handler.onRetrieverError(run, error: error)
        case .text(let text): try handler.onText(run, text: text)
        case .retry(let state): try handler.onRetry(run, state: state)
        case .cacheHit: try handler.onCacheHit(run)
        case .cacheMiss: try handler.onCacheMiss(run)
        case .customEvent(let name, let data): try handler.onCustomEvent(run, name: name, data: data)
        }
    }

    /// Whether `handler`'s ignore flags filter this event out.
    func isIgnored(by handler: some CallbackHandler) -> Bool {
        switch payload {
        case .chatModelStart: handler.ignoresLLM || handler.ignoresChatModel
        case .llmStart, .llmNewToken, .llmRequest, .llmResponse, .llmEnd, .llmError, .cacheHit, .cacheMiss:
            handler.ignoresLLM
        case .chainStart, .chainStream, .chainEnd, .chainError: handler.ignoresChain
        case .toolStart, .toolEnd, .toolError: handler.ignoresTool
        case .retrieverStart, .retrieverEnd, .retrieverError: handler.ignoresRetriever
        case .retry: handler.ignoresRetry
        case .customEvent: handler.ignoresCustomEvent
        case .text: false
        }
    }

    /// Whether this event starts its run.
    public var startsRun: Bool {
        switch payload {
        case .llmStart, .chatModelStart, .chainStart, .toolStart, .retrieverStart: true
        default: false
        }
    }

    /// Whether this event ends its run (an end or error).
    public var endsRun: Bool {
        switch payload {
        case .llmEnd, .llmError, .chainEnd, .chainError, .toolEnd, .toolError, .retrieverEnd, .retrieverError: true
        default: false
        }
    }

    /// The error that ended the run, for an error event.
    public var error: (any Error)? {
        switch payload {
        case .llmError(let error, _), .chainError(let error), .toolError(let error), .retrieverError(let error): error
        default: nil
        }
    }

    /// The hook's name as LangChain spells it (`on_llm_start`, `on_chain_end`, …), for logs and comparisons.
    public var hookName: String { payload.hookName }
}
