/// The families of hooks a handler's ignore flags switch off.
enum HookKind {
    /// Text and chat model tokens, ends, errors and text-model starts.
    case llm
    /// Chat model starts (skipped by ``CallbackHandler/ignoresLLM`` or ``CallbackHandler/ignoresChatModel``).
    case chatModelStart
    /// Chain starts, stream chunks, ends and errors.
    case chain
    /// Tool starts, ends and errors.
    case tool
    /// Retriever starts, ends and errors.
    case retriever
    /// Retries.
    case retry
    /// Custom events.
    case customEvent
    /// Text events, which no flag skips.
    case text

    /// Whether `handler`'s ignore flags filter out hooks of this kind.
    func isIgnored(by handler: any CallbackHandler) -> Bool {
        switch self {
        case .llm: handler.ignoresLLM
        case .chatModelStart: handler.ignoresLLM || handler.ignoresChatModel
        case .chain: handler.ignoresChain
        case .tool: handler.ignoresTool
        case .retriever: handler.ignoresRetriever
        case .retry: handler.ignoresRetry
        case .customEvent: handler.ignoresCustomEvent
        case .text: false
        }
    }
}
