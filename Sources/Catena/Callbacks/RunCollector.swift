public import Foundation
import Synchronization

/// A handler that keeps a ``RunRecord`` for every run it sees, in start order. Useful in tests and for
/// inspecting a run tree after the fact.
///
/// ```swift
/// let collector = RunCollector()
/// _ = try await chain.invoke(input, config: .init(callbacks: [collector]))
/// let root = collector.runs.first { $0.parentID == nil }
/// ```
public final class RunCollector: EventCallbackHandler {
    private let state = Mutex(State())

    private struct State {
        var order: [UUID] = []
        var records: [UUID: RunRecord] = [:]
    }

    /// Creates an empty collector.
    public init() {}

    /// Every run seen, in start order.
    public var runs: [RunRecord] {
        state.withLock { state in state.order.compactMap { state.records[$0] } }
    }

    /// The record of run `id`.
    public func run(_ id: UUID) -> RunRecord? { state.withLock { $0.records[id] } }

    /// The runs started directly inside run `id`, in start order.
    public func children(of id: UUID) -> [RunRecord] { runs.filter { $0.parentID == id } }

    /// Forgets every run.
    public func reset() { state.withLock { $0 = State() } }

    /// Forgets the runs with the given ids.
    public func forget(_ ids: Set<UUID>) {
        state.withLock { state in
            state.order.removeAll { ids.contains($0) }
            for id in ids { state.records[id] = nil }
        }
    }

    /// Records `event` into its run's record.
    public func handle(_ event: CallbackEvent) {
        let now = Date()
        state.withLock { state in
            if let record = RunRecord(starting: event, at: now) {
                if state.records[record.id] == nil { state.order.append(record.id) }
                state.records[record.id] = record
            } else {
                state.records[event.run.id]?.apply(event, at: now)
            }
        }
    }
}
