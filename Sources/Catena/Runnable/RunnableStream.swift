/// The stream a runnable returns: an `AsyncSequence` of output chunks.
///
/// Nothing runs until iteration starts, and each iteration is a new run. The stream is pulled on the consumer's
/// task, so cancelling that task cancels the run; breaking out of the loop early ends the run with a
/// `CancellationError` reported to handlers.
public struct RunnableStream<Element: Sendable>: AsyncSequence, Sendable {
    /// Streams fail with any error.
    public typealias Failure = any Error

    /// Produces the next chunk on the caller's executor (no hop per chunk), or `nil` at the end.
    package typealias NextFunction = nonisolated(nonsending) () async throws -> Element?

    /// Starts one iteration on the caller's executor: does the work that comes before the first chunk (starting
    /// runs, resolving deferred sources) and returns the function that produces the chunks.
    ///
    /// Streams built from other streams start them inside their own start, so each layer calls the next layer's
    /// function directly: a deferred source or a stream made on the first pull adds no forwarding call per chunk.
    typealias StartFunction = nonisolated(nonsending) @Sendable () async throws -> NextFunction

    let start: StartFunction

    /// Wraps any `Sendable` async sequence.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == Element {
        self.init {
            let iterator = IterationState(base.makeAsyncIterator())
            return { try await iterator.value.next(isolation: #isolation) }
        }
    }

    /// Creates a stream from a factory of `next` functions: one function per iteration.
    package init(makeNext: @escaping @Sendable () -> NextFunction) {
        start = { makeNext() }
    }

    /// Creates a stream from its start function (see ``StartFunction``).
    init(start: @escaping StartFunction) {
        self.start = start
    }

    /// Starts an iteration.
    public func makeAsyncIterator() -> Iterator { Iterator(start: start) }

    /// Iterates a ``RunnableStream``.
    public struct Iterator: AsyncIteratorProtocol {
        private let start: StartFunction
        private var started = false
        private var nextElement: NextFunction?

        init(start: @escaping StartFunction) {
            self.start = start
        }

        /// The next chunk, or `nil` at the end.
        public mutating func next() async throws -> Element? { try await pull() }

        /// The next chunk, produced on the caller's executor.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
            try await pull()
        }

        /// Starts the iteration on the first pull (once: a failed start ends it), then pulls a chunk.
        @inline(__always)
        private mutating nonisolated(nonsending) func pull() async throws -> Element? {
            if let nextElement { return try await nextElement() }
            if started { return nil }
            started = true
            let next = try await start()
            nextElement = next
            return try await next()
        }
    }
}

extension RunnableStream {
    /// A stream of the single value `produce` returns.
    public static func single(_ produce: @escaping @Sendable () async throws -> Element) -> RunnableStream {
        RunnableStream {
            let done = IterationState(false)
            return {
                if done.value { return nil }
                done.value = true
                return try await produce()
            }
        }
    }

    /// A stream of `elements`.
    public static func of(_ elements: [Element]) -> RunnableStream {
        RunnableStream {
            let iterator = IterationState(elements.makeIterator())
            return { iterator.value.next() }
        }
    }

    /// A stream whose source is made when iteration starts (and made again for each iteration).
    public static func deferred(_ make: @escaping @Sendable () async throws -> RunnableStream) -> RunnableStream {
        RunnableStream(start: { try await make().start() })
    }

    /// The stream with `transform` applied to each chunk.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) async throws -> T) -> RunnableStream<T> {
        let source = self
        return RunnableStream<T>(start: {
            let next = try await source.start()
            return {
                guard let element = try await next() else { return nil }
                return try await transform(element)
            }
        })
    }

    /// The stream with a synchronous `transform` applied to each chunk (no suspension point per chunk for it).
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> RunnableStream<T> {
        let source = self
        return RunnableStream<T>(start: {
            let next = try await source.start()
            return {
                guard let element = try await next() else { return nil }
                return try transform(element)
            }
        })
    }

    /// All chunks, in order.
    public func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }

    /// All chunks merged into one value (see ``StreamChunk``).
    /// - Throws: ``CatenaError`` with code `emptyOutput` when the stream yields nothing.
    public func aggregate() async throws -> Element {
        let accumulator = ChunkAccumulator<Element>()
        for try await element in self { accumulator.add(element) }
        guard let total = accumulator.total else {
            throw CatenaError(.emptyOutput, "the stream ended without yielding any value")
        }
        return total
    }
}
