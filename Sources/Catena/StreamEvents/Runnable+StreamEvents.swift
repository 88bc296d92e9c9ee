extension Runnable {
    /// Streams the events of every run inside this call (LangChain's `astream_events` v2): starts, chunks, ends
    /// and custom events, with run ids, parent ids (root first), tags and metadata.
    ///
    /// An error inside the call ends the stream with that error. Stopping the iteration cancels the call.
    ///
    /// ```swift
    /// for try await event in chain.streamEvents(["input": "hi"], filter: .init(includeTypes: [.chatModel])) {
    ///     if event.event == "on_chat_model_stream" { print(event.data.chunk?.text ?? "", terminator: "") }
    /// }
    /// ```
    public func streamEvents(
        _ input: Input, config: RunnableConfig = RunnableConfig(), filter: StreamEventFilter = StreamEventFilter()
    ) -> RunnableStream<StreamEvent> {
        let base = RunContext.current.applying(config)
        return RunnableStream.deferred {
            var context = base
            let (events, continuation) = AsyncThrowingStream.makeStream(of: StreamEvent.self)
            context.callbacks.add(
                handlers: [EventStreamHandler(filter: filter) { continuation.yield($0) }], inheritable: true)
            let started = context
            let work = Task {
                do {
                    for try await _ in self.stream(input, context: started) {}
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in work.cancel() }
            return RunnableStream(events)
        }
    }
}
