import Foundation
import Logging
import Synchronization

/// The state every run manager shares: the run, its handlers, what children inherit, and whether it has ended.
/// Reached through a ``RunManager``.
///
/// Events after the first end or error are dropped, so each handler sees exactly one of them per run.
final class RunCore: Sendable {
    /// The id of runs nobody observes: generating ids costs time, and no handler could see them.
    static let untracedID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    let run: RunInfo
    let handlers: [any CallbackHandler]
    let inheritableHandlers: [any CallbackHandler]
    let inheritableTags: [String]
    let inheritableMetadata: [String: JSONValue]
    /// Where Catena logs about this run (`nil`: a logger labelled `catena`).
    let logger: Logger?
    private let ended = Atomic<Bool>(false)
    private let childCount = Atomic<UInt64>(0)

    init(run: RunInfo, manager: CallbackManager) {
        self.run = run
        self.handlers = manager.handlers
        self.inheritableHandlers = manager.inheritableHandlers
        self.inheritableTags = manager.inheritableTags
        self.inheritableMetadata = manager.inheritableMetadata
        self.logger = manager.logger
    }

    /// A model run's invocation parameters, as its start hook receives them (set whenever a handler listens).
    var modelParameters: InvocationParameters { run.parameters ?? [:] }

    /// Whether an end or error has been reported.
    var hasEnded: Bool { ended.load(ordering: .acquiring) }

    /// Reports the run's start (`payload` is only built when a handler listens). When a handler that raises errors
    /// throws, the run is ended with that error for every handler, so that none is left with a run that started
    /// and never ended, and the error is rethrown.
    func start(_ payload: @autoclosure () -> CallbackEvent.Payload) throws {
        guard !handlers.isEmpty else { return }
        do {
            try HandlerDispatch.dispatch(CallbackEvent(run, payload()), to: handlers, logger: logger)
        } catch {
            try? finish(.error(error, endingRunOf: run.type))
            throw error
        }
    }

    /// Reports an event of the run unless it has ended (`payload` is only built when a handler listens).
    func emit(_ payload: @autoclosure () -> CallbackEvent.Payload) throws {
        guard !handlers.isEmpty, !hasEnded else { return }
        try HandlerDispatch.dispatch(CallbackEvent(run, payload()), to: handlers, logger: logger)
    }

    /// Reports the end or error of this run, unless one was reported before.
    func finish(_ payload: @autoclosure () -> CallbackEvent.Payload) throws {
        guard ended.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        guard !handlers.isEmpty else { return }
        try HandlerDispatch.dispatch(CallbackEvent(run, payload()), to: handlers, logger: logger)
    }

    /// A fresh id for a run started inside this one.
    func nextChildID() -> UUID {
        .childRunID(of: run.id, counter: childCount.add(1, ordering: .relaxed).newValue)
    }

    /// The manager for runs started inside this one.
    func child(tag: String?) -> CallbackManager {
        var manager = CallbackManager(
            handlers: inheritableHandlers,
            inheritableHandlers: inheritableHandlers,
            parentRunID: run.id == Self.untracedID ? nil : run.id,
            tags: tag.map { [$0] + inheritableTags } ?? inheritableTags,
            inheritableTags: inheritableTags,
            metadata: inheritableMetadata,
            inheritableMetadata: inheritableMetadata)
        manager.parentRun = run.id == Self.untracedID ? nil : self
        manager.logger = logger
        return manager
    }
}
