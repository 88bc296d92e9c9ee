public import Foundation
import Synchronization

/// A handler that keeps a ``RunRecord`` for every run it sees, in start order, each with its children. Useful in
/// tests and for inspecting a run tree after the fact.
///
/// ```swift
/// let collector = RunCollector()
/// _ = try await chain.invoke(input, config: .init(callbacks: [collector]))
/// let root = collector.roots[0]   // its `children`, and theirs, are the whole tree
/// ```
public final class RunCollector: CallbackHandler {
    private let state = Mutex(State())

    private struct State {
        var order: [UUID] = []
        var records: [UUID: RunRecord] = [:]
        var childIDs: [UUID: [UUID]] = [:]

        /// The record of `id` with its children, and theirs, filled in.
        func tree(of id: UUID) -> RunRecord? {
            guard var record = records[id] else { return nil }
            record.children = (childIDs[id] ?? []).compactMap { tree(of: $0) }
            return record
        }

        /// Whether the run's parent was not seen: it is the root of a tree.
        func isRoot(_ record: RunRecord) -> Bool { record.parentID.map { records[$0] == nil } ?? true }
    }

    /// Creates an empty collector.
    public init() {}

    /// Every run seen, in start order, each with its children.
    public var runs: [RunRecord] {
        state.withLock { state in state.order.compactMap { state.tree(of: $0) } }
    }

    /// The runs whose parent this collector did not see (the root of each tree), in start order, with their
    /// children.
    public var roots: [RunRecord] {
        state.withLock { state in
            state.order.compactMap { id in state.records[id].flatMap { state.isRoot($0) ? state.tree(of: id) : nil } }
        }
    }

    /// The record of run `id`, with its children.
    public func run(_ id: UUID) -> RunRecord? { state.withLock { $0.tree(of: id) } }

    /// The runs started directly inside run `id`, in start order.
    public func children(of id: UUID) -> [RunRecord] { run(id)?.children ?? [] }

    /// Forgets every run.
    public func reset() { state.withLock { $0 = State() } }

    /// Forgets run `id` and every run inside it.
    public func forgetTree(of id: UUID) {
        state.withLock { state in
            var ids: Set<UUID> = []
            var pending = [id]
            while let next = pending.popLast() {
                guard ids.insert(next).inserted else { continue }
                pending += state.childIDs.removeValue(forKey: next) ?? []
                state.records[next] = nil
            }
            state.order.removeAll { ids.contains($0) }
        }
    }

    /// Records `event` into its run's record.
    public func handle(_ event: CallbackEvent) {
        _ = record(event)
    }

    /// Records `event` and returns the tree of its run, when the event ends a run whose parent this collector did
    /// not see.
    func record(_ event: CallbackEvent) -> RunRecord? {
        let now = Date()
        return state.withLock { state in
            if let record = RunRecord(starting: event, at: now) {
                if state.records[record.id] == nil {
                    state.order.append(record.id)
                    if let parentID = record.parentID { state.childIDs[parentID, default: []].append(record.id) }
                }
                state.records[record.id] = record
                return nil
            }
            state.records[event.run.id]?.apply(event, at: now)
            guard event.endsRun, let record = state.records[event.run.id], state.isRoot(record) else { return nil }
            return state.tree(of: record.id)
        }
    }
}
