import Synchronization

/// The events of one ``StreamEventsDelivery/live`` iteration: queued by the call's task as they happen, taken in
/// batches by the consumer, which waits only when nothing is queued (one wake-up per batch, not per event).
///
/// The queue is bounded: handlers emit events synchronously, so the call's task waits for room between two pulls
/// of its output (``waitForRoom()``). A consumer that falls behind thus holds at most ``capacity`` events plus those
/// of one pull.
final class LiveEventChannel: Sendable {
    /// How many queued events make the call's task wait for the consumer.
    static let capacity = 1_024

    private struct State {
        var queued: [StreamEvent] = []
        /// Events the consumer is done with, released by the call's task: the task that allocated them, so the
        /// allocator does not have to take memory back across threads.
        var spent: [StreamEvent] = []
        /// How the call ended, once it has (the first end wins).
        var end: Result<Void, any Error>?
        /// The consumer, while it waits for an event or the end.
        var waiting: UnsafeContinuation<Void, Never>?
        /// The call's task, while it waits for room.
        var producer: UnsafeContinuation<Void, Never>?
        /// Whether the call's task was cancelled: it waits for room no longer.
        var producerCancelled = false

        var isFull: Bool { queued.count >= LiveEventChannel.capacity && !producerCancelled }
    }

    private let state = Mutex(State())

    func append(_ event: StreamEvent) {
        var spent: [StreamEvent] = []
        let waiting = state.withLock { state in
            state.queued.append(event)
            swap(&spent, &state.spent)
            return state.waiting.take()
        }
        waiting?.resume()
    }

    /// Records how the call ended; events queued before stay queued.
    func finish(_ end: Result<Void, any Error>) {
        let waiting = state.withLock { state in
            if state.end == nil { state.end = end }
            return state.waiting.take()
        }
        waiting?.resume()
    }

    /// Waits while the queue is full, until the consumer takes the events.
    /// - Throws: `CancellationError` once the call's task is cancelled (the consumer stopped).
    func waitForRoom() async throws {
        guard state.withLock({ $0.isFull }) else { return try Task.checkCancellation() }
        try await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let full = state.withLock { state in
                    guard state.isFull else { return false }
                    state.producer = continuation
                    return true
                }
                if !full { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            state.withLock { state in
                state.producerCancelled = true
                return state.producer.take()
            }?.resume()
        }
    }

    /// Waits until events are queued or the call has ended. Swaps the queued events (oldest first) into `batch`,
    /// whose emptied buffer becomes the queue's; returns the call's end only when nothing was queued.
    func take(into batch: inout [StreamEvent]) async -> Result<Void, any Error>? {
        while true {
            var released: [StreamEvent] = []
            let (end, producer) = state.withLock { state in
                // The batch just served goes to the call's task to release, unless the one before is still there.
                if state.spent.isEmpty { swap(&batch, &state.spent) } else { swap(&batch, &released) }
                swap(&batch, &state.queued)
                return (batch.isEmpty ? state.end : nil, state.producer.take())
            }
            producer?.resume()
            released = []
            if !batch.isEmpty { return nil }
            if let end { return end }
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if !state.queued.isEmpty || state.end != nil { return true }
                    state.waiting = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }
}

/// The consumer's side of a live iteration: the batch being served, and the call's task, cancelled when the
/// consumer is cancelled or stops iterating before the end.
private final class LiveEventIteration {
    private let channel: LiveEventChannel
    private let work: Task<Void, Never>
    // Only the iteration's consumer touches these, one `next()` at a time.
    private var batch: [StreamEvent] = []
    private var position = 0
    private var ended = false

    init(channel: LiveEventChannel, work: Task<Void, Never>) {
        self.channel = channel
        self.work = work
    }

    /// The next event; after the last, `nil`, or the call's error.
    @inline(__always)
    nonisolated(nonsending) func next() async throws -> StreamEvent? {
        while true {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            if ended { return nil }
            let (channel, work) = (channel, work)
            let end = await withTaskCancellationHandler {
                await channel.take(into: &batch)
            } onCancel: {
                work.cancel()
                channel.finish(.failure(CancellationError()))
            }
            position = 0
            guard let end else { continue }
            ended = true
            try end.get()
        }
    }

    deinit { work.cancel() }
}

extension RunnableStream where Element == StreamEvent {
    /// The events of `output`'s runs, with `output` pulled to its end by a task of its own, which waits for room in
    /// `channel` between two pulls. An error of `output` surfaces after the events that came before it.
    static func live<Output>(
        events channel: LiveEventChannel, of output: @escaping @Sendable () -> RunnableStream<Output>
    ) -> RunnableStream {
        RunnableStream(start: {
            let work = Task {
                do {
                    let next = try await output().start()
                    while try await next() != nil { try await channel.waitForRoom() }
                    channel.finish(.success(()))
                } catch {
                    channel.finish(.failure(error))
                }
            }
            let iteration = LiveEventIteration(channel: channel, work: work)
            return { try await iteration.next() }
        })
    }
}
