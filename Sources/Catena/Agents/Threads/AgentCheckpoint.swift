public import Foundation

/// Where a thread's run stood at one point: what an ``Agent`` saves after each step of a run on an
/// ``AgentThread``, and what ``AgentThread/history()`` reads back.
///
/// A run saves a checkpoint when it starts, after each model turn (with the turn's hooks), after each tool call
/// that finishes, when a middleware interrupts it, and when it ends.
public struct AgentCheckpoint: Sendable, Hashable {
    /// How the run stood.
    public enum Status: Sendable, Hashable, Codable {
        /// The run was going on (or its process died there): ``Agent/resume(_:decisions:config:)-(AgentThread,_,_)`` goes on from here.
        case running
        /// The run waits for decisions on these tool calls (``AgentMiddleware/humanInTheLoop(before:)``).
        case interrupted(pending: [ToolCall])
        /// The run gave its final answer; the next ``Agent/invoke(_:in:config:)`` continues the conversation.
        case finished
    }

    /// The thread's id.
    public var thread: String
    /// The checkpoint's place in the thread, from 1.
    public var sequence: Int
    /// How the run stood.
    public var status: Status
    /// The run's state: the conversation, the calls counted, the decisions taken.
    public var state: AgentState
    /// When it was saved.
    public var savedAt: Date

    /// Creates a checkpoint.
    public init(thread: String, sequence: Int, status: Status, state: AgentState, savedAt: Date = Date()) {
        self.thread = thread
        self.sequence = sequence
        self.status = status
        self.state = state
        self.savedAt = savedAt
    }

    /// What is stored besides the thread and the sequence number.
    private struct Payload: Codable {
        var status: Status
        var state: AgentState
        /// Seconds since 1970.
        var savedAt: Double
    }

    /// The checkpoint as a store keeps it: JSON text.
    /// - Throws: `EncodingError` for a value JSON cannot hold (a non-finite number in a tool's arguments).
    public func record() throws -> CheckpointRecord {
        let payload = Payload(status: status, state: state, savedAt: savedAt.timeIntervalSince1970)
        return CheckpointRecord(
            thread: thread, sequence: sequence, payload: try JSONValue(encoding: payload).serializedBytes)
    }

    /// Reads a checkpoint a store kept.
    /// - Throws: ``CatenaError`` (`invalidInput`) naming the thread and the checkpoint when the record is not one
    ///   (written by something else, or damaged).
    public init(_ record: CheckpointRecord) throws(CatenaError) {
        let payload: Payload
        do {
            payload = try JSONValue(parsing: record.payload).decode(as: Payload.self)
        } catch {
            throw CatenaError(
                .invalidInput, "checkpoint \(record.sequence) of thread '\(record.thread)' cannot be read: \(error)")
        }
        self.init(
            thread: record.thread, sequence: record.sequence, status: payload.status, state: payload.state,
            savedAt: Date(timeIntervalSince1970: payload.savedAt))
    }
}
