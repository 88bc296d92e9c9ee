extension Agent {
    /// Runs the loop on `thread`: `input` continues the thread's conversation (or starts it), and a checkpoint is
    /// saved after every step, so that the run can be resumed with ``resume(_:decisions:config:)-(AgentThread,_,_)`` after an
    /// interrupt or after the process died.
    /// - Throws: ``AgentError/unfinishedThread(thread:conversation:)`` when the thread's last run did not finish;
    ///   the store's errors; what ``invoke(_:context:)`` throws.
    public func invoke(_ input: [Message], in thread: AgentThread, config: RunnableConfig = RunnableConfig())
        async throws -> AgentResult
    {
        let (state, journal) = try await starting(input, in: thread)
        return try await traced(
            state, .fresh, journal: journal, context: RunContext.current.applying(config), report: nil)
    }

    /// ``updates(_:config:)`` of a run on `thread`, saved as ``invoke(_:in:config:)`` saves it.
    public func updates(_ input: [Message], in thread: AgentThread, config: RunnableConfig = RunnableConfig())
        -> RunnableStream<AgentUpdate>
    {
        reported(config: config) { context, send in
            let (state, journal) = try await starting(input, in: thread)
            return try await traced(state, .fresh, journal: journal, context: context, report: send)
        }
    }

    /// Goes on with the unfinished run of `thread` from its last checkpoint: after an interrupt, with a decision on
    /// each call it waits for (by call id); after its process died, where it stopped. A model turn or a tool call
    /// that finished before is not made again; one that was under way is.
    /// - Throws: ``CatenaError`` (`invalidInput`) when the thread has no unfinished run, or a waiting call has no
    ///   decision; the store's errors; what ``invoke(_:context:)`` throws.
    public func resume(
        _ thread: AgentThread, decisions: [String: ToolDecision] = [:], config: RunnableConfig = RunnableConfig()
    ) async throws -> AgentResult {
        guard let last = try await thread.latest(), last.status != .finished else {
            throw CatenaError(.invalidInput, "thread '\(thread.id)' has no unfinished run to resume")
        }
        let how: AgentRunStart = if case .interrupted = last.status { .decided(decisions) } else { .resumed }
        return try await traced(
            last.state, how, journal: AgentJournal(thread, after: last.sequence),
            context: RunContext.current.applying(config), report: nil)
    }

    /// The state a new run on `thread` starts from, and its journal.
    private func starting(_ input: [Message], in thread: AgentThread) async throws -> (AgentState, AgentJournal) {
        guard let last = try await thread.latest() else {
            return (AgentState(messages: input), AgentJournal(thread, after: 0))
        }
        guard last.status == .finished else {
            throw AgentError.unfinishedThread(thread: thread.id, conversation: last.state.messages)
        }
        return (AgentState(messages: last.state.messages + input), AgentJournal(thread, after: last.sequence))
    }
}
