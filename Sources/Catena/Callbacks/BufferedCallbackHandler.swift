import Synchronization

/// A handler that receives events asynchronously: for slow I/O (files, HTTP collectors, databases).
public protocol AsyncCallbackHandler: Sendable {
    /// Receives one event; events of a run arrive in order.
    func handle(_ event: CallbackEvent) async throws
}

/// Delivers events to a slow handler off the hot path, in order, without losing any.
///
/// Emitting an event only appends it to an unbounded ordered buffer; one background task hands events to the
/// wrapped handler one at a time. ``flush()`` waits until everything emitted so far has been handled. Errors the
/// wrapped handler throws are logged and isolated.
///
/// ```swift
/// let sink = BufferedCallbackHandler(JSONLinesFileSink(path: "runs.jsonl"))
/// _ = try await chain.invoke(input, config: .init(callbacks: [sink]))
/// await sink.flush()
/// ```
public final class BufferedCallbackHandler: CallbackHandler {
    private let continuation: AsyncStream<Item>.Continuation
    private let drain: Task<Void, Never>
    private let counts = DeliveryCounts()

    private enum Item: Sendable {
        case event(CallbackEvent)
        case marker(CheckedContinuation<Void, Never>)
    }

    /// Emitted and delivered counts, shared with the drain task.
    private final class DeliveryCounts: Sendable {
        let state = Mutex((emitted: 0, delivered: 0))
    }

    /// Wraps an asynchronous handler.
    public init(_ handler: any AsyncCallbackHandler) {
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
        self.continuation = continuation
        let counts = self.counts
        let handlerName = "\(type(of: handler))"
        drain = Task {
            for await item in stream {
                switch item {
                case .event(let event):
                    do {
                        try await handler.handle(event)
                    } catch {
                        HandlerDispatch.log(error, handlerName: handlerName, event: event, raised: false)
                    }
                    counts.state.withLock { $0.delivered += 1 }
                case .marker(let waiter):
                    waiter.resume()
                }
            }
        }
    }

    /// Wraps a synchronous handler whose hooks are too slow to run inline.
    public convenience init(_ handler: any CallbackHandler) {
        self.init(SynchronousAdapter(handler: handler))
    }

    deinit {
        continuation.finish()
    }

    /// Queues the event; returns at once.
    public func handle(_ event: CallbackEvent) {
        counts.state.withLock { $0.emitted += 1 }
        continuation.yield(.event(event))
    }

    /// Events emitted but not yet handled.
    public var backlog: Int { counts.state.withLock { $0.emitted - $0.delivered } }

    /// Waits until every event emitted before this call has been handled.
    public func flush() async {
        await withCheckedContinuation { waiter in
            continuation.yield(.marker(waiter))
        }
    }

    /// Stops accepting events after those already queued, and waits for them to be handled.
    public func shutdown() async {
        continuation.finish()
        await drain.value
    }
}

/// Runs a synchronous handler's hooks from the buffered handler's drain task.
private struct SynchronousAdapter: AsyncCallbackHandler {
    let handler: any CallbackHandler

    func handle(_ event: CallbackEvent) async throws {
        guard !event.isIgnored(by: handler) else { return }
        try handler.handle(event)
    }
}
