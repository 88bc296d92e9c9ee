/// A conversation an ``Agent`` keeps in a ``CheckpointStore``, by id: runs on it continue it, save a checkpoint
/// after every step, and resume after an interrupt or after the process died.
///
/// ```swift
/// let store = try SQLiteCheckpointStore(path: "agent.sqlite")
/// let thread = AgentThread("support-42", in: store)
/// let result = try await agent.invoke([.user("Book the 9:40 to Lyon")], in: thread)
/// // After a crash, or an interrupt waiting for a person:
/// let resumed = try await agent.resume(thread, decisions: ["call_1": .approve])
/// for checkpoint in try await thread.history() { print(checkpoint.sequence, checkpoint.status) }
/// ```
public struct AgentThread: Sendable {
    /// The thread's id in its store.
    public let id: String
    /// Where its checkpoints are kept.
    public let store: any CheckpointStore

    /// The thread `id` of `store` (a thread with no checkpoint yet starts with its first run).
    public init(_ id: String, in store: any CheckpointStore) {
        self.id = id
        self.store = store
    }

    /// Every checkpoint of the thread, oldest first.
    /// - Throws: The store's error; ``CatenaError`` (`invalidInput`) for a checkpoint that cannot be read.
    public func history() async throws -> [AgentCheckpoint] {
        try await store.records(thread: id).map { record throws(CatenaError) in try AgentCheckpoint(record) }
    }

    /// The thread's last checkpoint, if it has one.
    /// - Throws: The store's error; ``CatenaError`` (`invalidInput`) for a checkpoint that cannot be read.
    public func latest() async throws -> AgentCheckpoint? {
        try await store.latestRecord(thread: id).map { record throws(CatenaError) in try AgentCheckpoint(record) }
    }
}

/// Saves the checkpoints of one run on a thread, numbering them after the thread's last.
struct AgentJournal: Sendable {
    let thread: AgentThread
    private(set) var sequence: Int

    /// A journal continuing after checkpoint `sequence` of `thread`.
    init(_ thread: AgentThread, after sequence: Int) {
        self.thread = thread
        self.sequence = sequence
    }

    /// Saves `state` as the thread's next checkpoint. Never inlined, so that it does not grow the frame of the
    /// agent's loop, held through every model call (the row "1,000 concurrent agent runs … memory per in-flight
    /// call").
    @inline(never)
    mutating func save(_ state: AgentState, _ status: AgentCheckpoint.Status) async throws {
        sequence += 1
        let checkpoint = AgentCheckpoint(thread: thread.id, sequence: sequence, status: status, state: state)
        try await thread.store.append(try checkpoint.record())
    }

    /// Saves the state of the run `error` interrupted (an ``AgentInterrupt``), waiting for decisions.
    @inline(never)
    mutating func saveIfInterrupted(by error: any Error) async throws {
        guard let interrupt = error as? AgentInterrupt else { return }
        try await save(interrupt.state, .interrupted(pending: interrupt.pending))
    }
}
