import Foundation
import Synchronization

/// The state every run manager shares: the run, its handlers, what children inherit, and whether it has ended.
/// Opaque to users; reach it through a ``RunManager``.
///
/// Events after the first end or error are dropped, so each handler sees exactly one of them per run.
public final class RunCore: Sendable {
    /// The id of runs nobody observes: generating ids costs time, and no handler could see them.
    static let untracedID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    let run: RunInfo
    let handlers: [any CallbackHandler]
    let inheritableHandlers: [any CallbackHandler]
    let inheritableTags: [String]
    let inheritableMetadata: [String: JSONValue]
    private let ended = Atomic<Bool>(false)
    private let childCount = Atomic<UInt64>(0)

    init(run: RunInfo, manager: CallbackManager) {
        self.run = run
        self.handlers = manager.handlers
        self.inheritableHandlers = manager.inheritableHandlers
        self.inheritableTags = manager.inheritableTags
        self.inheritableMetadata = manager.inheritableMetadata
    }

    /// A model run's invocation parameters, as its start hook receives them (set whenever a handler listens).
    var modelParameters: InvocationParameters { run.parameters ?? [:] }

    /// Whether an end or error has been reported.
    var hasEnded: Bool { ended.load(ordering: .acquiring) }

    /// Calls `hook` with each handler that does not ignore hooks of `kind` and the run, unless the run has ended.
    /// (The run is passed in, read once, rather than read by the hook for every handler.)
    func emit(_ kind: HookKind, _ hook: (any CallbackHandler, RunInfo) throws -> Void) throws {
        try emit(kind, building: ()) { handler, run, _ in try hook(handler, run) }
    }

    /// Calls `hook` with `argument` like ``emit(_:_:)``; the argument is built once, and only when a handler will
    /// receive it.
    func emit<Argument>(
        _ kind: HookKind, building argument: @autoclosure () -> Argument,
        _ hook: (any CallbackHandler, RunInfo, Argument) throws -> Void
    ) throws {
        guard !handlers.isEmpty, !hasEnded else { return }
        let (run, argument) = (run, argument())
        try HandlerDispatch.call(handlers, run: run, kind: kind) { try hook($0, run, argument) }
    }

    /// Reports the end or error of this run through `hook` (given each handler and the run), unless one was
    /// reported before.
    func finish(_ kind: HookKind, _ hook: (any CallbackHandler, RunInfo) throws -> Void) throws {
        guard ended.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        guard !handlers.isEmpty else { return }
        let run = run
        try HandlerDispatch.call(handlers, run: run, kind: kind) { try hook($0, run) }
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
        return manager
    }
}
