/// Watches one streaming run: each chunk before it is yielded, then exactly one end or error.
protocol StreamRunObserver<Element>: AnyObject, SendableMetatype {
    associatedtype Element
    /// A chunk is about to be yielded.
    func willYield(_ element: Element) throws
    /// The stream ended normally.
    nonisolated(nonsending) func finish() async throws
    /// The stream failed, was cancelled, or was abandoned by its consumer.
    func fail(_ error: any Error)
}

/// One iteration of a traced stream: reports every chunk, and guarantees one end or error, including when the
/// consumer stops iterating early (reported as `CancellationError`).
final class TracedIteration<Observer: StreamRunObserver> where Observer.Element: Sendable {
    typealias Element = Observer.Element
    private let inner: RunnableStream<Element>.NextFunction
    private let observer: Observer
    private var done = false

    private init(inner: @escaping RunnableStream<Element>.NextFunction, observer: Observer) {
        self.inner = inner
        self.observer = observer
    }

    /// Starts the run (`start` reports it and returns the chunk source and its observer), then the source.
    nonisolated(nonsending) static func start(
        _ start: @Sendable () async throws -> (RunnableStream<Element>, Observer)
    ) async throws -> TracedIteration {
        let (stream, observer) = try await start()
        do {
            return TracedIteration(inner: try await stream.start(), observer: observer)
        } catch {
            observer.fail(error)
            throw error
        }
    }

    /// The next chunk (inlined into the stream's next function: one async frame per chunk, not two).
    @inline(__always)
    nonisolated(nonsending) func next() async throws -> Element? {
        if done { return nil }
        do {
            if let element = try await inner() {
                try observer.willYield(element)
                return element
            }
            done = true
            try await observer.finish()
            return nil
        } catch {
            done = true
            observer.fail(error)
            throw error
        }
    }

    deinit {
        if !done { observer.fail(CancellationError()) }
    }
}

extension RunnableStream {
    /// A stream whose run starts when iteration starts; `start` reports the start and returns the chunk source and
    /// the observer that reports chunks and the end.
    ///
    /// Specialized for the chunk types chains stream most: a stream of another type runs the generic code, which
    /// looks up type metadata on every chunk.
    static func traced<Observer: StreamRunObserver<Element>>(
        _ start: @escaping @Sendable () async throws -> (RunnableStream<Element>, Observer)
    ) -> RunnableStream {
        RunnableStream(start: {
            let iteration = try await TracedIteration.start(start)
            return { try await iteration.next() }
        })
    }
}
