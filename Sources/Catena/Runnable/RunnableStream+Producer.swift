import AsyncAlgorithms

extension RunnableStream {
    /// The elements `produce` sends from a task of its own, through a channel that holds none: each send waits
    /// until the consumer takes the element, so a slow consumer slows the producer down instead of filling a buffer.
    ///
    /// The producer's error ends the stream after the elements sent before it. The stream ends (or fails) only once
    /// the producer has returned, so whatever it started has ended by then. Cancelling the consumer, or stopping the
    /// iteration early, cancels the producer; a cancelled consumer gets a `CancellationError`.
    static func produced(
        by produce: @escaping @Sendable (_ send: @escaping @Sendable (Element) async -> Void) async throws -> Void
    ) -> RunnableStream {
        RunnableStream(start: {
            let channel = AsyncThrowingChannel<Element, any Error>()
            let work = Task {
                do {
                    try await produce { await channel.send($0) }
                    channel.finish()
                } catch {
                    channel.fail(error)
                }
            }
            let iteration = ProducedIteration(channel.makeAsyncIterator(), work: work)
            return { try await iteration.next() }
        })
    }
}

/// The consumer's side of a ``RunnableStream/produced(by:)`` stream: the channel's iterator and the producer.
private final class ProducedIteration<Element: Sendable> {
    private var iterator: AsyncThrowingChannel<Element, any Error>.Iterator
    private let work: Task<Void, Never>

    init(_ iterator: AsyncThrowingChannel<Element, any Error>.Iterator, work: Task<Void, Never>) {
        self.iterator = iterator
        self.work = work
    }

    /// The next element; at the end (or on the producer's error) once the producer has returned.
    func next() async throws -> Element? {
        let work = work
        do {
            let element = try await withTaskCancellationHandler {
                try await iterator.next()
            } onCancel: {
                work.cancel()
            }
            if let element { return element }
        } catch {
            await work.value
            throw error
        }
        await work.value
        try Task.checkCancellation()
        return nil
    }

    deinit { work.cancel() }
}
