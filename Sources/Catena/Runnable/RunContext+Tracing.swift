extension RunContext {
    /// Runs `body` as a traced chain run: reports the start, runs `body` with the child context and the run
    /// manager, then reports exactly one end or error. Use it to trace a custom ``Runnable``.
    ///
    /// - Parameters:
    ///   - name: The run's default name (a configured run name wins).
    ///   - type: The kind of run (`.chain`, `.prompt`, `.parser`).
    ///   - input: The run's input, as handlers see it.
    ///   - body: The work; receives the context for child runs and the run manager.
    public func traceChain<Output: Sendable>(
        name: String, type: RunType = .chain, input: some Sendable,
        _ body: (RunContext, ChainRunManager) async throws -> Output
    ) async throws -> Output {
        let manager = try callbacks.startChain(
            name: runName(default: name), type: type, inputs: RunValue(input), runID: runID)
        do {
            let output = try await body(child(of: manager), manager)
            try manager.onEnd(RunValue(output))
            return output
        } catch {
            try? manager.onError(error)
            throw error
        }
    }

    /// A stream traced as one chain run that starts when iteration starts: every chunk is reported, then one end
    /// (with the merged chunks) or error.
    public func traceChainStream<Output: Sendable>(
        name: String, type: RunType = .chain, input: some Sendable,
        _ body: @escaping @Sendable (RunContext, ChainRunManager) async throws -> RunnableStream<Output>
    ) -> RunnableStream<Output> {
        let context = self
        return .traced {
            let manager = try context.callbacks.startChain(
                name: context.runName(default: name), type: type, inputs: RunValue(input), runID: context.runID)
            let observer = ChainStreamObserver<Output>(manager: manager)
            do {
                return (try await body(context.child(of: manager), manager), observer)
            } catch {
                observer.fail(error)
                throw error
            }
        }
    }

    /// A transform traced as one chain run that starts when the first input chunk arrives (as LangChain does), so
    /// the run's start is reported with a `null` input.
    public func traceChainTransform<Input: Sendable, Output: Sendable>(
        name: String, type: RunType = .chain, input: RunnableStream<Input>,
        _ body: @escaping @Sendable (RunnableStream<Input>, RunContext, ChainRunManager) -> RunnableStream<Output>
    ) -> RunnableStream<Output> {
        .deferred {
            let (first, rest) = try await input.splitFirst()
            guard let first else { return .of([]) }
            let chunks = RunnableStream<Input>.prepending(first, to: rest)
            return self.traceChainStream(name: name, type: type, input: JSONValue.null) { context, manager in
                body(chunks, context, manager)
            }
        }
    }
}

/// An iterator that several closures can pull from, so a stream can be split into its head and its rest.
final class SharedIterator<Element: Sendable>: @unchecked Sendable {
    // Pulled by one consumer at a time: the stream that owns it is iterated once (so no runtime exclusivity check).
    @exclusivity(unchecked) private var iterator: RunnableStream<Element>.Iterator

    init(_ iterator: RunnableStream<Element>.Iterator) { self.iterator = iterator }

    nonisolated(nonsending) func next() async throws -> Element? { try await iterator.next() }
}

extension RunnableStream {
    /// Pulls the first chunk; returns it and the iterator positioned after it.
    func splitFirst() async throws -> (Element?, SharedIterator<Element>) {
        let shared = SharedIterator(makeAsyncIterator())
        return (try await shared.next(), shared)
    }

    /// A one-pass stream of `first` followed by what `rest` yields.
    static func prepending(_ first: Element, to rest: SharedIterator<Element>) -> RunnableStream {
        RunnableStream {
            var pending: Element? = first
            return {
                if let head = pending {
                    pending = nil
                    return head
                }
                return try await rest.next()
            }
        }
    }
}
