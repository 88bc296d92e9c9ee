import Foundation

extension Runnable {
    /// This runnable with listeners called with its run's record on start, end and error. The record given at the
    /// end or error carries the whole tree of runs inside it (``RunRecord/children``) with their events.
    ///
    /// ```swift
    /// let timed = chain.withListeners(onEnd: { run in print(run.name, run.duration, run.children.map(\.name)) })
    /// ```
    public func withListeners(
        onStart: (@Sendable (RunRecord) -> Void)? = nil,
        onEnd: (@Sendable (RunRecord) -> Void)? = nil,
        onError: (@Sendable (RunRecord) -> Void)? = nil
    ) -> RunnableBinding<Self> {
        // Inheritable, to see the runs inside; the listeners hear only of the runs this runnable itself starts (the
        // roots of what the handler sees).
        withConfig(RunnableConfig(callbacks: [RunListener(onStart: onStart, onEnd: onEnd, onError: onError)]))
    }
}

/// Collects the tree of each run it sees and calls the listeners for its roots; runs of concurrent calls are kept
/// apart by id.
final class RunListener: CallbackHandler {
    private let onStart: (@Sendable (RunRecord) -> Void)?
    private let onEnd: (@Sendable (RunRecord) -> Void)?
    private let onError: (@Sendable (RunRecord) -> Void)?
    private let collector = RunCollector()

    init(
        onStart: (@Sendable (RunRecord) -> Void)?, onEnd: (@Sendable (RunRecord) -> Void)?,
        onError: (@Sendable (RunRecord) -> Void)?
    ) {
        self.onStart = onStart
        self.onEnd = onEnd
        self.onError = onError
    }

    func handle(_ event: CallbackEvent) {
        if event.startsRun, let onStart, event.run.parentID.map({ collector.run($0) == nil }) ?? true {
            collector.handle(event)
            if let started = collector.run(event.run.id) { onStart(started) }
            return
        }
        guard let finished = collector.record(event) else { return }
        collector.forgetTree(of: finished.id)
        if finished.error == nil { onEnd?(finished) } else { onError?(finished) }
    }
}
