/// Retries a runnable on failure, per a ``RetryPolicy``.
///
/// The retry wrapper is one chain run; each attempt is a child run, attempts after the first tagged
/// `retry:attempt:N`, and each retry is reported through the retry hook (which LangChain's `with_retry` skips).
/// A stream is retried only until its first chunk: once output has reached the consumer, an error surfaces.
public struct RunnableRetry<Base: Runnable>: Runnable {
    /// The runnable retried.
    public let base: Base
    /// When and how to retry.
    public let policy: RetryPolicy

    /// Wraps `base`.
    public init(base: Base, policy: RetryPolicy) {
        self.base = base
        self.policy = policy
    }

    /// The base's name.
    public var name: String { base.name }

    /// Invokes the base until it succeeds or the policy gives up.
    public func invoke(_ input: Base.Input, context: RunContext) async throws -> Base.Output {
        try await context.traceChain(name: name, input: input) { _, manager in
            try await attempts(context: context, manager: manager) { attemptContext in
                try await base.invoke(input, context: attemptContext)
            }
        }
    }

    /// Streams from the base, retrying until the first chunk arrives.
    public func stream(_ input: Base.Input, context: RunContext) -> RunnableStream<Base.Output> {
        context.traceChainStream(name: name, input: input) { _, manager in
            try await attempts(context: context, manager: manager) { attemptContext in
                let (first, rest) = try await base.stream(input, context: attemptContext).splitFirst()
                guard let first else { return .of([]) }
                return .prepending(first, to: rest)
            }
        }
    }

    private func attempts<T>(
        context: RunContext, manager: ChainRunManager, _ attempt: (RunContext) async throws -> T
    ) async throws -> T {
        try await policy.run(onRetry: manager.onRetry) { number in
            try await attempt(context.child(of: manager, tag: number > 1 ? "retry:attempt:\(number)" : nil))
        }
    }
}

extension Runnable {
    /// This runnable retried on failure per `policy`.
    ///
    /// ```swift
    /// let sturdy = model.withRetry(RetryPolicy(maxAttempts: 5, shouldRetry: { $0 is MyTransientError }))
    /// ```
    public func withRetry(_ policy: RetryPolicy = RetryPolicy()) -> RunnableRetry<Self> {
        RunnableRetry(base: self, policy: policy)
    }
}
