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
        RunnableStream(start: {
            let (first, rest) = try await input.splitFirst()
            guard let first else { return { nil } }
            return try await self.traceChainStream(name: name, type: type, input: JSONValue.null) { context, manager in
                body(.prepending(first, to: rest), context, manager)
            }.start()
        })
    }
}

/// Whether a one-time step has happened; non-generic, so checking it looks up no type metadata.
final class OnceFlag {
    var isSet = false
}

extension RunnableStream {
    /// The rest of a started iteration, to be pulled by one consumer.
    struct Rest: @unchecked Sendable {
        let next: NextFunction
    }

    /// Starts an iteration and pulls its first chunk; returns the chunk and the rest of the iteration.
    func splitFirst() async throws -> (Element?, Rest) {
        let next = try await start()
        return (try await next(), Rest(next: next))
    }

    /// Starts an iteration and pulls its first chunk; `rest` continues that same iteration (one pass). For a
    /// server that must know whether the call started before it answers: its status, then the chunks.
    package func openingFirst() async throws -> (first: Element?, rest: RunnableStream) {
        let (first, rest) = try await splitFirst()
        return (first, RunnableStream(start: { rest.next }))
    }

    /// A one-pass stream of `first` followed by `rest`.
    static func prepending(_ first: Element, to rest: Rest) -> RunnableStream {
        RunnableStream(start: {
            let yieldedFirst = OnceFlag()
            let next = rest.next
            return {
                if yieldedFirst.isSet { return try await next() }
                yieldedFirst.isSet = true
                return first
            }
        })
    }
}
