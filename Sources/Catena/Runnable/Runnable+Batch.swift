/// The outcome of one input of ``Runnable/batchAsCompleted(_:config:)``: its position and its result.
public struct BatchItem<Output: Sendable>: Sendable {
    /// The position of the input in the batch.
    public let index: Int
    /// The output, or the error of that input.
    public let result: Result<Output, any Error>
}

extension Runnable {
    /// Runs every input, at most `config.maxConcurrency` at once, and returns the outputs in input order.
    ///
    /// Each input is its own run. The first failure cancels the inputs still running and is thrown; use
    /// ``batchResults(_:config:)`` to get a result per input instead.
    public func batch(_ inputs: [Input], config: RunnableConfig = RunnableConfig()) async throws -> [Output] {
        let context = RunContext.current.applying(config)
        var outputs = [Output?](repeating: nil, count: inputs.count)
        try await runLimited(count: inputs.count, width: context.batchWidth(inputs.count)) { index in
            await context.callbacks.waitForBufferedHandlers()
            return try await self.invoke(inputs[index], context: context)
        } collect: { index, output in
            outputs[index] = output
        }
        return outputs.map { $0! }
    }

    /// Runs every input, at most `config.maxConcurrency` at once, and returns a result per input in input order:
    /// a failing input fails alone.
    public func batchResults(
        _ inputs: [Input], config: RunnableConfig = RunnableConfig()
    ) async -> [Result<Output, any Error>] {
        var results = [Result<Output, any Error>?](repeating: nil, count: inputs.count)
        // Only cancellation ends the iteration early: the inputs not run then fail with it.
        do {
            for try await item in runBatch(inputs, context: RunContext.current.applying(config)) {
                results[item.index] = item.result
            }
        } catch {}
        return results.map { $0 ?? .failure(CancellationError()) }
    }

    /// Runs every input, at most `config.maxConcurrency` at once, and yields each result as soon as it is ready,
    /// with the input's index. Stopping the iteration cancels the inputs still running.
    public func batchAsCompleted(
        _ inputs: [Input], config: RunnableConfig = RunnableConfig()
    ) -> RunnableStream<BatchItem<Output>> {
        runBatch(inputs, context: RunContext.current.applying(config))
    }

    /// The batch's results as they come, one at a time: a consumer that does not take them holds the workers.
    private func runBatch(_ inputs: [Input], context: RunContext) -> RunnableStream<BatchItem<Output>> {
        .produced { send in
            // The work catches every error into its item, so nothing is thrown here but cancellation.
            try await runLimited(count: inputs.count, width: context.batchWidth(inputs.count)) { index in
                await context.callbacks.waitForBufferedHandlers()
                do {
                    return BatchItem(
                        index: index, result: .success(try await self.invoke(inputs[index], context: context)))
                } catch {
                    return BatchItem(index: index, result: .failure(error))
                }
            } collect: { _, item in
                await send(item)
            }
        }
    }
}

extension RunContext {
    /// How many inputs of a batch of `count` run at once.
    func batchWidth(_ count: Int) -> Int { Swift.max(1, maxConcurrency ?? count) }
}
