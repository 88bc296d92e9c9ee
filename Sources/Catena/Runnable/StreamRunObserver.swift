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

/// One iteration of a traced stream: starts the run on the first pull, reports every chunk, and guarantees one
/// end or error, including when the consumer stops iterating early (reported as `CancellationError`).
final class TracedIteration<Observer: StreamRunObserver> where Observer.Element: Sendable {
    typealias Element = Observer.Element
    private let start: @Sendable () async throws -> (RunnableStream<Element>, Observer)
    // Pulled by one consumer at a time, so accesses never overlap: the runtime exclusivity checks (a thread-local
    // lookup each, several per chunk) are skipped.
    @exclusivity(unchecked) private var inner: RunnableStream<Element>.Iterator?
    @exclusivity(unchecked) private var observer: Observer?
    @exclusivity(unchecked) private var done = false

    init(start: @escaping @Sendable () async throws -> (RunnableStream<Element>, Observer)) {
        self.start = start
    }

    nonisolated(nonsending) func next() async throws -> Element? {
        if done { return nil }
        if inner == nil {
            do {
                let (stream, observer) = try await start()
                self.inner = stream.makeAsyncIterator()
                self.observer = observer
            } catch {
                done = true
                throw error
            }
        }
        do {
            if let element = try await inner!.next() {
                try observer!.willYield(element)
                return element
            }
            done = true
            try await observer!.finish()
            return nil
        } catch {
            done = true
            observer!.fail(error)
            throw error
        }
    }

    deinit {
        if !done, let observer { observer.fail(CancellationError()) }
    }
}

extension RunnableStream {
    /// A stream whose run starts when iteration starts; `start` reports the start and returns the chunk source and
    /// the observer that reports chunks and the end.
    static func traced<Observer: StreamRunObserver<Element>>(
        _ start: @escaping @Sendable () async throws -> (RunnableStream<Element>, Observer)
    ) -> RunnableStream {
        RunnableStream {
            let iteration = TracedIteration(start: start)
            return { try await iteration.next() }
        }
    }
}
