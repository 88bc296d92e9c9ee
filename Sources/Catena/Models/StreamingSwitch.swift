/// When a model's streaming is turned off (LangChain's `disable_streaming`): the one setting every model of
/// Catena spells `disableStreaming`. While it is off, `stream` calls the non-streaming method and yields the whole
/// answer as one chunk.
public enum StreamingSwitch: Sendable, Hashable {
    /// Streams when asked to.
    case never
    /// Never streams.
    case always
    /// Does not stream while tools are bound (for servers that cannot stream tool calls).
    case whenToolsBound

    /// Whether streaming is off for a model with tools bound or not.
    public func disablesStreaming(toolsBound: Bool) -> Bool {
        switch self {
        case .never: false
        case .always: true
        case .whenToolsBound: toolsBound
        }
    }
}
