extension Runnable {
    /// Streams the events of every run inside this call (LangChain's `astream_events` v2): starts, chunks, ends
    /// and custom events, with run ids, parent ids (root first), tags and metadata.
    ///
    /// An error inside the call ends the stream with that error, after the events before it. Stopping the
    /// iteration cancels the call. See ``StreamEventsDelivery`` for `.live` (the default) and the faster `.inline`.
    ///
    /// ```swift
    /// for try await event in chain.streamEvents(["input": "hi"], filter: .init(includeTypes: [.chatModel])) {
    ///     if event.event == "on_chat_model_stream" { print(event.data.chunk?.text ?? "", terminator: "") }
    /// }
    /// ```
    public func streamEvents(
        _ input: Input, config: RunnableConfig = RunnableConfig(), filter: StreamEventFilter = StreamEventFilter(),
        delivery: StreamEventsDelivery = .live
    ) -> RunnableStream<StreamEvent> {
        let base = RunContext.current.applying(config)
        // The call's output stream, with a handler turning its callbacks into events for `emit`.
        let output = { @Sendable (emit: @escaping @Sendable (StreamEvent) -> Void) -> RunnableStream<Output> in
            var context = base
            context.callbacks.add(handlers: [EventStreamHandler(filter: filter, emit: emit)], inheritable: true)
            return self.stream(input, context: context)
        }
        switch delivery {
        case .inline:
            return .deferred {
                let queue = InlineEventQueue()
                return .inline(events: queue) { output(queue.append) }
            }
        case .live:
            return .deferred {
                let channel = LiveEventChannel()
                return .live(events: channel) { output(channel.append) }
            }
        }
    }
}
