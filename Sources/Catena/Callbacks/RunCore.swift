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

    /// Whether an end or error has been reported.
    var hasEnded: Bool { ended.load(ordering: .acquiring) }

    /// Delivers an event of this run to its handlers; end and error events only once, later events are dropped.
    /// The event is only built when a handler will receive it.
    func emit(_ event: @autoclosure () -> CallbackEvent) throws {
        guard !handlers.isEmpty, !hasEnded else { return }
        try HandlerDispatch.deliver(event(), to: handlers)
    }

    /// Delivers a new token without building an event; the chunk is only built when a handler will receive it.
    func emitToken(_ token: String, chunk: @autoclosure () -> Generation?) throws {
        guard !handlers.isEmpty, !hasEnded else { return }
        let chunk = chunk()
        try HandlerDispatch.call(handlers, run: run, ignoring: { $0.ignoresLLM }) { handler in
            try handler.onLLMNewToken(run, token: token, chunk: chunk)
        }
    }

    /// Delivers a chain's chunk without building an event.
    func emitChainStream(_ chunk: @autoclosure () -> RunValue) throws {
        guard !handlers.isEmpty, !hasEnded else { return }
        let chunk = chunk()
        try HandlerDispatch.call(handlers, run: run, ignoring: { $0.ignoresChain }) { handler in
            try handler.onChainStream(run, chunk: chunk)
        }
    }

    /// Delivers the end or error event of this run, unless one was delivered before.
    func finish(_ event: @autoclosure () -> CallbackEvent) throws {
        guard ended.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        guard !handlers.isEmpty else { return }
        try HandlerDispatch.deliver(event(), to: handlers)
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
