/// Where an ``Agent`` keeps the checkpoints of its threads, so that a run can resume after an interrupt or after
/// its process died (see ``AgentThread``).
///
/// A store keeps bytes it does not read: each checkpoint is one ``CheckpointRecord``, numbered within its thread.
/// Catena ships ``InMemoryCheckpointStore`` (tests, one process), SQLite (`CatenaSQLiteCheckpoints`, the default
/// for a single machine) and PostgreSQL (`CatenaPostgres`, for replicas that share threads).
public protocol CheckpointStore: Sendable {
    /// Adds `record` to its thread, durably: once this returns, the record survives the process.
    /// - Throws: ``CheckpointConflict`` when the thread already has a record with the same sequence number (another
    ///   run of the same thread wrote it first); the store's own error otherwise.
    func append(_ record: CheckpointRecord) async throws
    /// The records of `thread`, oldest first (none for a thread never written).
    func records(thread: String) async throws -> [CheckpointRecord]
    /// The last record of `thread`, if it has any.
    func latestRecord(thread: String) async throws -> CheckpointRecord?
    /// The ids of the threads in the store, the most recently written first.
    func threads() async throws -> [String]
}

/// One checkpoint of a thread as a ``CheckpointStore`` keeps it.
public struct CheckpointRecord: Sendable, Hashable {
    /// The thread it belongs to.
    public var thread: String
    /// Its place in the thread, from 1.
    public var sequence: Int
    /// The checkpoint, as JSON text (see ``AgentCheckpoint``).
    public var payload: [UInt8]

    /// Creates a record.
    public init(thread: String, sequence: Int, payload: [UInt8]) {
        self.thread = thread
        self.sequence = sequence
        self.payload = payload
    }
}

/// A checkpoint could not be written: its thread already has one with that sequence number, written by another run
/// of the same thread (two processes resuming it at once, say).
public struct CheckpointConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// The thread.
    public var thread: String
    /// The sequence number both runs wrote.
    public var sequence: Int

    /// Creates the error.
    public init(thread: String, sequence: Int) {
        self.thread = thread
        self.sequence = sequence
    }

    public var description: String {
        "checkpoint \(sequence) of thread '\(thread)' was already written by another run of the thread"
    }
}
