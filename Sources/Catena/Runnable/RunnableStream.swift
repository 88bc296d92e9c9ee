/// The stream a runnable returns: an `AsyncSequence` of output chunks.
///
/// Nothing runs until iteration starts, and each iteration is a new run. The stream is pulled on the consumer's
/// task, so cancelling that task cancels the run; breaking out of the loop early ends the run with a
/// `CancellationError` reported to handlers.
public struct RunnableStream<Element: Sendable>: AsyncSequence, Sendable {
    /// Streams fail with any error.
    public typealias Failure = any Error

    /// Produces the next chunk on the caller's executor (no hop per chunk), or `nil` at the end.
    public typealias NextFunction = nonisolated(nonsending) () async throws -> Element?

    private let makeNext: @Sendable () -> NextFunction

    /// Wraps any `Sendable` async sequence.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == Element {
        makeNext = {
            let iterator = IterationState(base.makeAsyncIterator())
            return { try await iterator.value.next(isolation: #isolation) }
        }
    }

    /// Creates a stream from a factory of `next` functions: one function per iteration.
    public init(makeNext: @escaping @Sendable () -> NextFunction) {
        self.makeNext = makeNext
    }

    /// Starts an iteration.
    public func makeAsyncIterator() -> Iterator { Iterator(nextElement: makeNext()) }

    /// Iterates a ``RunnableStream``.
    public struct Iterator: AsyncIteratorProtocol {
        let nextElement: NextFunction

        /// The next chunk, or `nil` at the end.
        public mutating func next() async throws -> Element? { try await nextElement() }

        /// The next chunk, produced on the caller's executor.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
            try await nextElement()
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
        RunnableStream {
            let inner = IterationState<Iterator?>(nil)
            return {
                if inner.value == nil { inner.value = try await make().makeAsyncIterator() }
                return try await inner.value!.next()
            }
        }
    }

    /// The stream with `transform` applied to each chunk.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) async throws -> T) -> RunnableStream<T> {
        let source = self
        return RunnableStream<T> {
            let iterator = IterationState(source.makeAsyncIterator())
            return {
                guard let element = try await iterator.value.next() else { return nil }
                return try await transform(element)
            }
        }
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
        var accumulator = ChunkAccumulator<Element>()
        for try await element in self { accumulator.add(element) }
        guard let total = accumulator.total else { throw CatenaError(.emptyOutput, "the stream ended without yielding any value") }
        return total
    }
}
