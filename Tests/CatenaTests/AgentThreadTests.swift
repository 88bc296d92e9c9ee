import Catena
import Foundation
import CatenaTesting
import Synchronization
import Testing

/// Runs on a thread: a checkpoint after every step, conversations that continue, resuming a run that stopped (its
/// store failing stands in for the process dying) or was interrupted, and the errors of each misuse.
@Suite struct AgentThreadTests {
    typealias City = AgentScript.City

    /// A store that fails from its `failingAt`-th append on, as a process killed at that point leaves it.
    actor StoppingStore: CheckpointStore {
        struct Stopped: Error {}
        let stored = InMemoryCheckpointStore()
        let failingAt: Int
        var appends = 0

        init(failingAt: Int) { self.failingAt = failingAt }

        func append(_ record: CheckpointRecord) async throws {
            appends += 1
            guard appends < failingAt else { throw Stopped() }
            try await stored.append(record)
        }
        func records(thread: String) async throws -> [CheckpointRecord] { await stored.records(thread: thread) }
        func latestRecord(thread: String) async throws -> CheckpointRecord? {
            await stored.latestRecord(thread: thread)
        }
        func threads() async throws -> [String] { await stored.threads() }
    }

    /// The weather tool, counting its runs by city.
    static func countedWeather(_ runs: Recorded<String>) -> FunctionTool<City> {
        FunctionTool(name: "weather", description: "The weather in a city", parameters: ["type": "object"]) {
            (arguments: City) in
            runs.append(arguments.city)
            return "Sunny in \(arguments.city)"
        }
    }

    /// Asks for Paris and Rome in one turn, then answers.
    static let twoCitiesThenAnswer = [
        AgentScript.asking(AgentScript.call("c1", city: "Paris"), AgentScript.call("c2", city: "Rome")),
        .assistant("Sunny in both."),
    ]

    @Test func aRunSavesACheckpointAfterEveryStep() async throws {
        let store = InMemoryCheckpointStore()
        let thread = AgentThread("t1", in: store)
        let agent = try Agent(
            model: ScriptedChatModel(replies: Self.twoCitiesThenAnswer), tools: [AgentScript.weather],
            options: AgentOptions(maxConcurrency: 1))
        let result = try await agent.invoke([.user("Paris and Rome?")], in: thread)

        let history = try await thread.history()
        #expect(history.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(history.map(\.status) == [.running, .running, .running, .running, .running, .finished])
        // The start, the model's turn, each tool answer (kept aside until the turn's last), the answer, the end.
        #expect(history.map(\.state.messages.count) == [1, 2, 2, 2, 5, 5])
        #expect(history.map(\.state.modelCalls) == [0, 1, 1, 1, 2, 2])
        #expect(history.last?.state.messages == result.messages)
        #expect(history.last?.state.toolCalls == ["weather": 2])
        #expect(await store.threads() == ["t1"])
    }

    @Test func theNextRunContinuesTheConversation() async throws {
        let thread = AgentThread("t1", in: InMemoryCheckpointStore())
        let model = ScriptedChatModel(replies: [.assistant("Hello."), .assistant("Still here.")])
        let agent = try Agent(model: model, tools: [AgentScript.weather])
        _ = try await agent.invoke([.user("Hi")], in: thread)
        let second = try await agent.invoke([.user("Are you there?")], in: thread)
        #expect(second.messages.map(\.text) == ["Hi", "Hello.", "Are you there?", "Still here."])
        #expect(model.calls[1].map(\.text) == ["Hi", "Hello.", "Are you there?"])
        #expect(second.steps == 1)
        #expect(try await thread.history().map(\.sequence) == Array(1...6))
    }

    @Test func updatesOnAThreadAreSavedToo() async throws {
        let thread = AgentThread("t1", in: InMemoryCheckpointStore())
        let agent = try Agent(
            model: ScriptedChatModel(replies: Self.twoCitiesThenAnswer), tools: [AgentScript.weather])
        let updates = try await agent.updates([.user("Paris and Rome?")], in: thread).collect()
        guard case .finished(let result) = updates.last else { Issue.record("no result: \(updates)"); return }
        #expect(try await thread.latest()?.state.messages == result.messages)
        #expect(try await thread.latest()?.status == .finished)
    }

    /// A run whose checkpoint `failingAt` could not be written (the process died there) resumes from the one
    /// before: the steps saved are not made again, the one under way is.
    @Test(arguments: [
        (failingAt: 3, modelCalls: 2, paris: 2, rome: 1),  // Paris answered, not saved: Paris runs again.
        (failingAt: 4, modelCalls: 2, paris: 1, rome: 2),  // Rome answered, not saved.
        (failingAt: 5, modelCalls: 3, paris: 1, rome: 1),  // The final answer given, not saved: asked again.
        (failingAt: 6, modelCalls: 2, paris: 1, rome: 1),  // The end not saved: nothing is made again.
    ])
    func aStoppedRunResumesWithoutRepeatingWhatWasSaved(failingAt: Int, modelCalls: Int, paris: Int, rome: Int)
        async throws
    {
        let store = StoppingStore(failingAt: failingAt)
        let runs = Recorded<String>()
        let model = ScriptedChatModel { conversation in
            conversation.last?.role == .user ? Self.twoCitiesThenAnswer[0] : Self.twoCitiesThenAnswer[1]
        }
        let agent = try Agent(
            model: model, tools: [Self.countedWeather(runs)], options: AgentOptions(maxConcurrency: 1))
        await #expect(throws: StoppingStore.Stopped.self) {
            try await agent.invoke([.user("Paris and Rome?")], in: AgentThread("t1", in: store))
        }

        let result = try await agent.resume(AgentThread("t1", in: store.stored))
        #expect(
            result.messages.map(\.text) == ["Paris and Rome?", "", "Sunny in Paris", "Sunny in Rome", "Sunny in both."])
        #expect(result.messages.compactMap(\.toolCallID) == ["c1", "c2"])
        #expect(model.calls.count == modelCalls)
        #expect(runs.values.filter { $0 == "Paris" }.count == paris)
        #expect(runs.values.filter { $0 == "Rome" }.count == rome)
        #expect(try await AgentThread("t1", in: store.stored).latest()?.status == .finished)
    }

    @Test func anInterruptIsSavedAndResumedFromTheStore() async throws {
        let thread = AgentThread("t1", in: InMemoryCheckpointStore())
        let runs = Recorded<String>()
        let agent = try Agent(
            model: ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1")), .assistant("Done.")]),
            tools: [Self.countedWeather(runs)], middleware: [.humanInTheLoop(before: ["weather"])])
        await #expect(throws: AgentInterrupt.self) { try await agent.invoke([.user("Paris?")], in: thread) }
        #expect(try await thread.latest()?.status == .interrupted(pending: [AgentScript.call("c1")]))

        await #expect {
            try await agent.invoke([.user("Anything else?")], in: thread)
        } throws: { error in
            guard case AgentError.unfinishedThread(let id, let conversation) = error else { return false }
            return id == "t1" && conversation.count == 2 && "\(error)".contains("resume it")
        }
        await #expect {
            try await agent.resume(thread)
        } throws: { error in
            (error as? CatenaError)?.code == .invalidInput && "\(error)".contains("no decision for tool call 'c1'")
        }

        let result = try await agent.resume(thread, decisions: ["c1": .edit(arguments: ["city": "Rome"])])
        #expect(result.messages[2] == .tool("Sunny in Rome", callID: "c1"))
        #expect(runs.values == ["Rome"])
        #expect(try await thread.latest()?.status == .finished)
        #expect(try await thread.latest()?.state.decisions == ["c1": .edit(arguments: ["city": "Rome"])])
    }

    @Test func onlyAnUnfinishedRunCanBeResumed() async throws {
        let agent = try Agent(model: ScriptedChatModel { _ in .assistant("Hi.") }, tools: [AgentScript.weather])
        let thread = AgentThread("t1", in: InMemoryCheckpointStore())
        for _ in 0..<2 {
            await #expect {
                try await agent.resume(thread)
            } throws: { error in
                "\(error)".contains("thread 't1' has no unfinished run to resume")
            }
            _ = try await agent.invoke([.user("Hello")], in: thread)
        }
    }

    @Test func aCheckpointThatCannotBeReadNamesItsThreadAndNumber() async throws {
        let store = InMemoryCheckpointStore()
        try await store.append(CheckpointRecord(thread: "t1", sequence: 1, payload: Array(#"{"status":"#.utf8)))
        let agent = try Agent(model: ScriptedChatModel(replies: [.assistant("Hi.")]), tools: [AgentScript.weather])
        await #expect {
            try await agent.invoke([.user("Hello")], in: AgentThread("t1", in: store))
        } throws: { error in
            (error as? CatenaError)?.code == .invalidInput
                && "\(error)".contains("checkpoint 1 of thread 't1' cannot be read")
        }
    }

    @Test func aCheckpointRoundTripsThroughItsRecord() throws {
        var state = AgentState(messages: [.user("Paris?"), AgentScript.asking(AgentScript.call("c1"))])
        state.messages[1].usage = Usage(inputTokens: 3, outputTokens: 4)
        let checkpoint = AgentCheckpoint(
            thread: "t1", sequence: 7, status: .interrupted(pending: [AgentScript.call("c1")]), state: state)
        let read = try AgentCheckpoint(try checkpoint.record())
        #expect(read.state == state)
        #expect(read.status == checkpoint.status)
        #expect(abs(read.savedAt.timeIntervalSince(checkpoint.savedAt)) < 0.001)
    }
}
