/// Tries a runnable, then each fallback in turn when the previous one fails with an error it handles.
///
/// One chain run whose attempts are child runs (they keep their parent run id, which LangChain loses when
/// fallbacks are invoked). When all fail, the first error surfaces. With an error key, each fallback's input
/// carries the previous error's description under that key.
public struct RunnableWithFallbacks<Base: Runnable>: Runnable {
    /// The runnable tried first.
    public let base: Base
    /// The runnables tried next, in order.
    public let fallbacks: [AnyRunnable<Base.Input, Base.Output>]
    private let handles: @Sendable (any Error) -> Bool
    private let passError: (@Sendable (Base.Input, any Error) -> Base.Input)?

    init(
        base: Base, fallbacks: [AnyRunnable<Base.Input, Base.Output>],
        handles: @escaping @Sendable (any Error) -> Bool,
        passError: (@Sendable (Base.Input, any Error) -> Base.Input)?
    ) {
        self.base = base
        self.fallbacks = fallbacks
        self.handles = handles
        self.passError = passError
    }

    /// Runs are named as in LangChain.
    public var name: String { "RunnableWithFallbacks" }

    /// Invokes the base, then the fallbacks, until one succeeds.
    public func invoke(_ input: Base.Input, context: RunContext) async throws -> Base.Output {
        try await context.traceChain(name: name, input: input) { child, _ in
            try await untilOneSucceeds(input) { candidate, input in
                try await candidate.invoke(input, context: child)
            }
        }
    }

    /// Streams from the base, then the fallbacks, until one yields its first chunk.
    public func stream(_ input: Base.Input, context: RunContext) -> RunnableStream<Base.Output> {
        context.traceChainStream(name: name, input: input) { child, _ in
            try await untilOneSucceeds(input) { candidate, input in
                let (first, rest) = try await candidate.stream(input, context: child).splitFirst()
                guard let first else { return .of([]) }
                return .prepending(first, to: rest)
            }
        }
    }

    private func untilOneSucceeds<T>(
        _ input: Base.Input, _ attempt: (AnyRunnable<Base.Input, Base.Output>, Base.Input) async throws -> T
    ) async throws -> T {
        var firstError: (any Error)?
        var input = input
        for candidate in [AnyRunnable(base)] + fallbacks {
            do {
                return try await attempt(candidate, input)
            } catch {
                guard handles(error), !(error is CancellationError) else { throw error }
                firstError = firstError ?? error
                if let passError { input = passError(input, error) }
            }
        }
        throw firstError!
    }
}

/// An input that can carry the error of a failed attempt to a fallback (string-keyed dictionaries of
/// ``JSONValue`` or ``PromptValue``).
public protocol ErrorDescribingValue: Sendable {
    /// A value holding the description of `error`.
    init(describing error: any Error)
}

extension JSONValue: ErrorDescribingValue {
    /// The error's description as a string.
    public init(describing error: any Error) { self = .string(String(describing: error)) }
}

extension Runnable {
    /// This runnable with fallbacks tried in order when it fails with an error `handles` accepts.
    public func withFallbacks(
        _ fallbacks: [AnyRunnable<Input, Output>],
        handling handles: @escaping @Sendable (any Error) -> Bool = { _ in true }
    ) -> RunnableWithFallbacks<Self> {
        RunnableWithFallbacks(base: self, fallbacks: fallbacks, handles: handles, passError: nil)
    }

    /// This runnable with fallbacks; each fallback's input carries the previous error under `errorKey`.
    public func withFallbacks<Value: ErrorDescribingValue>(
        _ fallbacks: [AnyRunnable<Input, Output>],
        handling handles: @escaping @Sendable (any Error) -> Bool = { _ in true },
        errorKey: String
    ) -> RunnableWithFallbacks<Self> where Input == [String: Value] {
        RunnableWithFallbacks(base: self, fallbacks: fallbacks, handles: handles) { input, error in
            input.merging([errorKey: Value(describing: error)]) { _, new in new }
        }
    }
}
