public import Logging

/// A handler that receives events asynchronously: for slow I/O (files, HTTP collectors, databases).
public protocol AsyncCallbackHandler: Sendable {
    /// Receives one event; events of a run arrive in order.
    func handle(_ event: CallbackEvent) async throws
}

/// Delivers events to a slow handler off the hot path: in order, never dropped, bounded by backpressure.
///
/// Emitting an event only appends it to an ordered queue; one background task hands events to the wrapped handler
/// one at a time. When `capacity` events wait undelivered, a run started with a configuration that holds this
/// handler waits before it starts until the handler catches up (the events of runs already started are always
/// accepted: hooks cannot wait). ``flush()`` waits until everything emitted so far has been handled. Errors the
/// wrapped handler throws are logged, counted and isolated. The completion layer's loggers are delivered the same
/// way.
///
/// ```swift
/// let sink = BufferedCallbackHandler(JSONLinesFileSink(path: "runs.jsonl"))
/// _ = try await chain.invoke(input, config: .init(callbacks: [sink]))
/// await sink.flush()
/// ```
public final class BufferedCallbackHandler: CallbackHandler {
    private let queue: DeliveryQueue<CallbackEvent>

    /// Wraps an asynchronous handler; `capacity` events may wait undelivered before new runs wait for room. What
    /// the handler throws is logged through `logger` (`nil`: a logger labelled `catena`).
    public init(_ handler: any AsyncCallbackHandler, capacity: Int = 10_000, logger: Logger? = nil) {
        let handlerName = "\(type(of: handler))"
        queue = DeliveryQueue(capacity: capacity) { event in
            do {
                try await handler.handle(event)
                return 0
            } catch {
                HandlerDispatch.log(
                    error, handlerName: handlerName, event: event, raised: false, logger: logger, span: nil)
                return 1
            }
        }
    }

    /// Wraps a synchronous handler whose hooks are too slow to run inline.
    public convenience init(_ handler: any CallbackHandler, capacity: Int = 10_000, logger: Logger? = nil) {
        self.init(SynchronousAdapter(handler: handler), capacity: capacity, logger: logger)
    }

    /// Queues the event; returns at once.
    public func handle(_ event: CallbackEvent) {
        queue.enqueue(event, urgent: event.endsRun)
    }

    /// Events emitted but not yet handled.
    public var backlog: Int { queue.backlog }

    /// How delivery went so far.
    public var statistics: DeliveryStatistics { queue.statistics }

    /// Whether ``waitForRoom()`` would return at once.
    var queueHasRoom: Bool { queue.hasRoom }

    /// Waits while `capacity` events wait undelivered.
    public func waitForRoom() async {
        await queue.waitForRoom()
    }

    /// Waits until every event emitted before this call has been handled.
    public func flush() async {
        await queue.flush()
    }

    /// Stops accepting events after those already queued, and waits for them to be handled.
    public func shutdown() async {
        await queue.shutdown()
    }
}

/// Runs a synchronous handler's hooks from the buffered handler's delivery task.
private struct SynchronousAdapter: AsyncCallbackHandler {
    let handler: any CallbackHandler

    func handle(_ event: CallbackEvent) async throws {
        guard !event.isIgnored(by: handler) else { return }
        try handler.handle(event)
    }
}

extension [any CallbackHandler] {
    /// Whether a ``BufferedCallbackHandler`` among these handlers is full.
    var holdsFullBufferedHandler: Bool {
        contains { ($0 as? BufferedCallbackHandler)?.queueHasRoom == false }
    }

    /// Waits while a ``BufferedCallbackHandler`` among these handlers is full.
    func waitForBufferedHandlers() async {
        for handler in self {
            if let buffered = handler as? BufferedCallbackHandler { await buffered.waitForRoom() }
        }
    }
}
