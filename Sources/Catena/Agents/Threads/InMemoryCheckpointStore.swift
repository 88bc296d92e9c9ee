/// A ``CheckpointStore`` in memory: checkpoints live as long as the store, in one process. For tests and for
/// resuming after an interrupt within one process; use SQLite or PostgreSQL to survive the process.
public actor InMemoryCheckpointStore: CheckpointStore {
    private var recordsByThread: [String: [CheckpointRecord]] = [:]
    /// Thread ids, the most recently written last.
    private var order: [String] = []

    /// Creates an empty store.
    public init() {}

    public func append(_ record: CheckpointRecord) throws {
        var records = recordsByThread[record.thread, default: []]
        guard !records.contains(where: { $0.sequence == record.sequence }) else {
            throw CheckpointConflict(thread: record.thread, sequence: record.sequence)
        }
        records.append(record)
        recordsByThread[record.thread] = records
        order.removeAll { $0 == record.thread }
        order.append(record.thread)
    }

    public func records(thread: String) -> [CheckpointRecord] {
        recordsByThread[thread, default: []].sorted { $0.sequence < $1.sequence }
    }

    public func latestRecord(thread: String) -> CheckpointRecord? {
        recordsByThread[thread]?.max { $0.sequence < $1.sequence }
    }

    public func threads() -> [String] { order.reversed() }
}
