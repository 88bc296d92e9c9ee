import Foundation
import Synchronization

extension Runnable {
    /// This runnable with listeners called with its run's record on start, end and error.
    ///
    /// ```swift
    /// let timed = chain.withListeners(onEnd: { run in print(run.name, run.duration) })
    /// ```
    public func withListeners(
        onStart: (@Sendable (RunRecord) -> Void)? = nil,
        onEnd: (@Sendable (RunRecord) -> Void)? = nil,
        onError: (@Sendable (RunRecord) -> Void)? = nil
    ) -> RunnableBinding<Self> {
        // A local handler sees only the runs this runnable itself starts, never their children.
        withConfig(RunnableConfig(localCallbacks: [RunListener(onStart: onStart, onEnd: onEnd, onError: onError)]))
    }
}

/// Builds the record of each run it sees and calls the listeners; runs of concurrent calls are kept apart by id.
final class RunListener: EventCallbackHandler {
    private let onStart: (@Sendable (RunRecord) -> Void)?
    private let onEnd: (@Sendable (RunRecord) -> Void)?
    private let onError: (@Sendable (RunRecord) -> Void)?
    private let open = Mutex<[UUID: RunRecord]>([:])

    init(
        onStart: (@Sendable (RunRecord) -> Void)?, onEnd: (@Sendable (RunRecord) -> Void)?,
        onError: (@Sendable (RunRecord) -> Void)?
    ) {
        self.onStart = onStart
        self.onEnd = onEnd
        self.onError = onError
    }

    func handle(_ event: CallbackEvent) {
        if let started = RunRecord(starting: event) {
            open.withLock { $0[started.id] = started }
            onStart?(started)
            return
        }
        guard event.endsRun else { return }
        let finished = open.withLock { open -> RunRecord? in
            guard var record = open.removeValue(forKey: event.run.id) else { return nil }
            record.apply(event)
            return record
        }
        guard let finished else { return }
        if finished.error == nil { onEnd?(finished) } else { onError?(finished) }
    }
}
