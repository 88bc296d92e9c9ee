import Synchronization

/// An operation that took longer than its caller may wait.
package struct DeadlinePassed: Error, CustomStringConvertible {
    /// How long it was given.
    package let limit: Duration
    package var description: String { "no answer within \(limit)" }
}

/// Runs `operation` and returns its result, or throws ``DeadlinePassed`` once `limit` passes without one. The
/// operation is cancelled then but not waited for: a client that is slow to notice (a pool waiting for a
/// connection) no longer holds the caller, and a hung one is found out.
package func withDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.start(continuation)
            let work = Task {
                do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                work.cancel()
                outcome.finish(.failure(DeadlinePassed(limit: limit)))
            }
            outcome.onFinish { timer.cancel() }
        }
    } onCancel: {
        outcome.finish(.failure(CancellationError()))
    }
}

/// The value of `task`, or `CancellationError` as soon as the caller is cancelled: the task itself runs on, for the
/// others waiting for it.
package func valueUnlessCancelled<T: Sendable>(of task: Task<T, any Error>) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.start(continuation)
            Task { outcome.finish(await task.result) }
        }
    } onCancel: {
        outcome.finish(.failure(CancellationError()))
    }
}

/// The first result of an operation racing its deadline (or its caller's cancellation), handed to the waiting caller
/// once.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state in
            if state.result == nil { state.continuation = continuation }
            return state.result
        }
        if let early { continuation.resume(with: early) }
    }

    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state in
            if state.result == nil { state.cleanup = cleanup }
            return state.result != nil
        }
        if finished { cleanup() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, cleanup) = state.withLock {
            state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard state.result == nil else { return (nil, nil) }
            state.result = result
            defer { (state.continuation, state.cleanup) = (nil, nil) }
            return (state.continuation, state.cleanup)
        }
        continuation?.resume(with: result)
        cleanup?()
    }
}
