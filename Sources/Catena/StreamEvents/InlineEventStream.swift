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
            // The output's element type stays in this closure (its stream made on the first pull): the iteration
            // state is not generic, so serving an event looks up no generic metadata.
            let source = IterationState<RunnableStream<Output>.Iterator?>(nil)
            let state = IterationState(InlineIteration {
                if source.value == nil { source.value = output().makeAsyncIterator() }
                return try await source.value!.next(isolation: #isolation) != nil
            })
            return { try await state.value.next(queue: queue) }
        }
    }
}

/// Where an inline iteration stands: the output's puller, the batch of events being served, and how the output
/// ended.
private struct InlineIteration {
    /// Pulls the output's next chunk; `false` once it ends.
    let pull: () async throws -> Bool
    var batch: [StreamEvent] = []
    var position = 0
    var ended = false
    var failure: (any Error)?

    /// The next event: a queued one, or, when none is waiting, the output pulled until one is (or it ends).
    mutating func next(queue: InlineEventQueue) async throws -> StreamEvent? {
        while true {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            batch = queue.takeAll()
            position = 0
            if !batch.isEmpty { continue }
            if let error = failure {
                failure = nil
                throw error
            }
            if ended { return nil }
            do {
                if try await !pull() { ended = true }
            } catch {
                ended = true
                failure = error
            }
        }
    }
}
