public import Catena
public import Foundation
import Synchronization

/// A handler that records every event in order, for tests of your own chains.
///
/// ```swift
/// let recorder = RecordingCallbackHandler()
/// _ = try await chain.invoke(input, config: .init(callbacks: [recorder]))
/// #expect(recorder.hookNames == ["on_chain_start", …])
/// ```
public final class RecordingCallbackHandler: CallbackHandler {
    private let recorded = Mutex<[CallbackEvent]>([])
    private let failure: (@Sendable (CallbackEvent) throws -> Void)?

    /// Whether errors thrown by `failure` surface from the run.
    public let raisesErrors: Bool

    /// Creates a recorder. `failure`, when given, runs after each event is recorded and may throw, to test how
    /// the framework treats a failing handler.
    public init(raisesErrors: Bool = false, failure: (@Sendable (CallbackEvent) throws -> Void)? = nil) {
        self.raisesErrors = raisesErrors
        self.failure = failure
    }

    /// Records `event`.
    public func handle(_ event: CallbackEvent) throws {
        recorded.withLock { $0.append(event) }
        try failure?(event)
    }

    /// Every event so far, in order.
    public var events: [CallbackEvent] { recorded.withLock { $0 } }

    /// The hook names of the events so far (`on_llm_start`, …).
    public var hookNames: [String] { events.map(\.hookName) }

    /// The events of run `id`.
    public func events(of id: UUID) -> [CallbackEvent] { events.filter { $0.run.id == id } }

    /// The distinct run ids, in order of first event.
    public var runIDs: [UUID] {
        var seen: [UUID] = []
        for event in events where !seen.contains(event.run.id) { seen.append(event.run.id) }
        return seen
    }

    /// Forgets every event.
    public func reset() { recorded.withLock { $0.removeAll() } }
}
