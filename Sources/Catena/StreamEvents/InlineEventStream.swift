import Synchronization

/// The events of one ``StreamEventsDelivery/inline`` iteration: what the handler queued, taken in batches.
///
/// The handler may be called from child tasks (parallel branches), so the shared queue is locked; the consumer
/// swaps the whole queue out at once and serves the batch without locking.
final class InlineEventQueue: Sendable {
    private let queued = Mutex<[StreamEvent]>([])

    func append(_ event: StreamEvent) {
        queued.withLock { $0.append(event) }
    }

    /// Everything queued so far, oldest first, leaving the queue empty.
    func takeAll() -> [StreamEvent] {
        queued.withLock { queue in
            var batch: [StreamEvent] = []
            swap(&batch, &queue)
            return batch
        }
    }
}

extension RunnableStream where Element == StreamEvent {
    /// The events of `output`'s runs, pulling `output` on the consumer's task whenever no event is waiting.
    /// An error of `output` surfaces after the events that came before it.
    static func inline<Output>(
        events queue: InlineEventQueue, of output: @escaping @Sendable () -> RunnableStream<Output>
    ) -> RunnableStream {
        RunnableStream {
            let state = IterationState(InlineIteration<Output>())
            return {
                while true {
                    if let event = state.value.nextQueued() { return event }
                    state.value.batch = queue.takeAll()
                    state.value.position = 0
                    if !state.value.batch.isEmpty { continue }
                    if let error = state.value.failure {
                        state.value.failure = nil
                        throw error
                    }
                    if state.value.ended { return nil }
                    if state.value.source == nil { state.value.source = output().makeAsyncIterator() }
                    do {
                        if try await state.value.source!.next(isolation: #isolation) == nil { state.value.ended = true }
                    } catch {
                        state.value.ended = true
                        state.value.failure = error
                    }
                }
            }
        }
    }
}

/// Where an inline iteration stands: the output's iterator, the batch of events being served, and how the output
/// ended.
private struct InlineIteration<Output: Sendable> {
    var source: RunnableStream<Output>.Iterator?
    var batch: [StreamEvent] = []
    var position = 0
    var ended = false
    var failure: (any Error)?

    /// The next event of the current batch, if any is left.
    mutating func nextQueued() -> StreamEvent? {
        guard position < batch.count else { return nil }
        defer { position += 1 }
        return batch[position]
    }
}
