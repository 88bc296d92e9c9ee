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

    /// Swaps everything queued so far (oldest first) into `batch`, whose buffer, emptied, becomes the queue's: the
    /// two buffers alternate, so appending allocates nothing once they have grown.
    func takeAll(into batch: inout [StreamEvent]) {
        batch.removeAll(keepingCapacity: true)
        queued.withLock { swap(&batch, &$0) }
    }
}

extension RunnableStream where Element == StreamEvent {
    /// The events of `output`'s runs, pulling `output` on the consumer's task whenever no event is waiting.
    /// An error of `output` surfaces after the events that came before it.
    static func inline<Output>(
        events queue: InlineEventQueue, of output: @escaping @Sendable () -> RunnableStream<Output>
    ) -> RunnableStream {
        RunnableStream(makeNext: {
            // The output's element type stays in these closures: the iteration state is not generic, so serving
            // an event looks up no generic metadata.
            let state = IterationState(
                InlineIteration(start: {
                    let next = try await output().start()
                    return { try await next() != nil }
                }))
            return { try await state.value.next(queue: queue) }
        })
    }
}

/// Where an inline iteration stands: the output's puller, the batch of events being served, and how the output
/// ended.
private struct InlineIteration {
    /// Pulls the output's next chunk; `false` once it ends.
    typealias Pull = nonisolated(nonsending) () async throws -> Bool

    /// Starts the output (its first events are queued then); returns its puller.
    typealias Start = nonisolated(nonsending) () async throws -> Pull

    let start: Start
    /// The output's puller, once started.
    var pull: Pull?
    var batch: [StreamEvent] = []
    var position = 0
    var ended = false
    var failure: (any Error)?

    init(start: @escaping Start) {
        self.start = start
    }

    /// The next event: a queued one, or, when none is waiting, the output pulled until one is (or it ends).
    /// Inlined into the stream's next function (one async frame per event, not two).
    @inline(__always)
    mutating func next(queue: InlineEventQueue) async throws -> StreamEvent? {
        while true {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            queue.takeAll(into: &batch)
            position = 0
            if !batch.isEmpty { continue }
            if let error = failure {
                failure = nil
                throw error
            }
            if ended { return nil }
            do {
                if pull == nil { pull = try await start() }
                if try await !pull!() { ended = true }
            } catch {
                ended = true
                failure = error
            }
        }
    }
}
