import Catena
import CatenaTestServices
import CatenaTesting
import Synchronization
import Testing

/// The agent loop with a scripted model: tool calls, their answers, errors, limits, the run tree and updates.
@Suite struct AgentTests {
    typealias City = AgentScript.City
    static let weather = AgentScript.weather

    @Test func theModelGetsEachToolAnswerThenAnswers() async throws {
        let model = ScriptedChatModel(replies: [
            AgentScript.asking(AgentScript.call("c1")), .assistant("It is sunny in Paris."),
        ])
        let agent = try Agent(model: model, tools: [Self.weather])
        let result = try await agent.invoke([.user("Weather in Paris?")])
        #expect(result.steps == 2)
        #expect(result.answer.text == "It is sunny in Paris.")
        #expect(result.messages.map(\.role) == [.user, .assistant, .tool, .assistant])
        #expect(result.messages[2] == .tool("Sunny in Paris", callID: "c1"))
        #expect(agent.model.tools.map(\.name) == ["weather"])
        #expect(model.calls.count == 2)
        #expect(model.calls[1] == Array(result.messages.prefix(3)))
    }

    @Test func theCallsOfOneTurnRunAtOnceBoundedAndAnswerInOrder() async throws {
        final class Counts: Sendable { let running = Atomic<Int>(0), peak = Atomic<Int>(0) }
        let (counts, gate) = (Counts(), AsyncGate())
        let slow = FunctionTool(name: "slow", description: "Waits", parameters: ["type": "object"]) {
            (arguments: City) in
            let now = counts.running.add(1, ordering: .relaxed).newValue
            counts.peak.max(now, ordering: .relaxed)
            if now == 2 { gate.open() }
            await gate.wait()
            counts.running.subtract(1, ordering: .relaxed)
            return arguments.city
        }
        let calls = ["Paris", "Rome", "Oslo", "Lima"].enumerated().map { index, city in
            AgentScript.call("c\(index)", "slow", #"{"city":"\#(city)"}"#)
        }
        let model = ScriptedChatModel(replies: [.assistant("", toolCalls: calls), .assistant("done")])
        let agent = try Agent(model: model, tools: [slow], options: AgentOptions(maxConcurrency: 2))
        let result = try await agent.invoke([.user("go")])
        #expect(counts.peak.load(ordering: .relaxed) == 2)
        #expect(result.messages[2...5].map(\.text) == ["Paris", "Rome", "Oslo", "Lima"])
        #expect(result.messages[2...5].map(\.toolCallID) == ["c0", "c1", "c2", "c3"])
    }

    @Test func mistakesGoBackToTheModelNamingTheToolAndTheField() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the station is offline" } }
        let failing = FunctionTool(name: "station", description: "Fails", parameters: ["type": "object"]) {
            (_: City) -> String in throw Broken()
        }
        let model = ScriptedChatModel(replies: [
            AgentScript.asking(
                AgentScript.call("c1", "forecast"), AgentScript.call("c2", "weather", #"{"city": "Par"#),
                AgentScript.call("c3", "weather", #"{"town":"Paris"}"#), AgentScript.call("c4", "station")),
            .assistant("Sorry."),
        ])
        let result = try await Agent(model: model, tools: [Self.weather, failing]).invoke([.user("?")])
        let answers = result.messages[2...5].map(\.text)
        #expect(answers[0] == "Error: there is no tool named 'forecast'; the tools are 'weather', 'station'.")
        #expect(answers[1] == #"Error: the arguments of tool 'weather' are not valid JSON: {"city": "Par"#)
        #expect(
            answers[2] == "Error: the arguments of tool 'weather' do not fit its schema: field 'city' is required")
        #expect(answers[3] == "Error: the station is offline")
        #expect(result.answer.text == "Sorry.")
    }

    @Test func aToolErrorCanFailTheRunKeepingTheConversation() async throws {
        struct Broken: Error {}
        let failing = FunctionTool(name: "station", description: "Fails", parameters: ["type": "object"]) {
            (_: City) -> String in throw Broken()
        }
        let model = ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1", "station"))])
        let agent = try Agent(model: model, tools: [failing], options: AgentOptions(toolFailure: .failRun))
        let error = await #expect(throws: AgentError.self) { try await agent.invoke([.user("?")]) }
        guard case .toolFailed(let tool, let callID, let underlying, let conversation) = error else {
            Issue.record("expected toolFailed, got \(String(describing: error))")
            return
        }
        #expect(tool == "station" && callID == "c1" && underlying is Broken)
        #expect(conversation.map(\.role) == [.user, .assistant])
    }

    @Test func theStepLimitEndsARunThatNeverAnswers() async throws {
        let model = ScriptedChatModel { _ in AgentScript.asking(AgentScript.call("again")) }
        let agent = try Agent(model: model, tools: [Self.weather], options: AgentOptions(maxSteps: 3))
        let error = await #expect(throws: AgentError.self) { try await agent.invoke([.user("?")]) }
        #expect(model.calls.count == 3)
        #expect(error?.conversation.count == 7)
        #expect(
            error?.description
                == "the agent made 3 model calls (maxSteps: 3) and 3 tool calls without reaching a final answer")
    }

    @Test func twoToolsWithOneNameAreRefused() throws {
        #expect(throws: CatenaError.self) {
            try Agent(model: ScriptedChatModel(replies: []), tools: [Self.weather, Self.weather])
        }
    }

    @Test func everyModelAndToolCallIsAChildRunOfTheAgent() async throws {
        let collector = RunCollector()
        let model = ScriptedChatModel(replies: [
            AgentScript.asking(AgentScript.call("c1"), AgentScript.call("c2", "weather", #"{"city":"Rome"}"#)),
            .assistant("Both sunny."),
        ])
        _ = try await Agent(model: model, tools: [Self.weather]).invoke(
            [.user("Paris and Rome?")], config: RunnableConfig(callbacks: [collector]))
        let root = try #require(collector.roots.first)
        #expect(collector.roots.count == 1)
        #expect(root.name == "Agent" && root.type == .chain)
        #expect(root.children.map(\.type) == [.chatModel, .tool, .tool, .chatModel])
        #expect(root.children.filter { $0.type == .tool }.map(\.name) == ["weather", "weather"])
        #expect(root.children.allSatisfy { $0.isFinished })
    }

    @Test func updatesReportTokensToolCallsAndResultsInOrder() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant("Let me look.", toolCalls: [AgentScript.call("c1")]), .assistant("Sunny in Paris."),
        ])
        var lines: [String] = []
        var final: AgentResult?
        for try await update in try Agent(model: model, tools: [Self.weather]).updates([.user("?")]) {
            if case .finished(let result) = update { final = result } else { lines.append(update.description) }
        }
        #expect(
            lines == [
                "Let", " ", "me", " ", "look.", #"calling weather({"city":"Paris"})"#, "weather → Sunny in Paris",
                "Sunny", " ", "in", " ", "Paris.",
            ])
        #expect(final?.messages[1].toolCalls.map(\.name) == ["weather"])
        #expect(final?.answer.text == "Sunny in Paris.")
    }

    @Test(.timeLimit(.minutes(1))) func stoppingTheUpdatesCancelsARunningTool() async throws {
        let recorder = RecordingCallbackHandler()
        let started = AsyncGate()
        let sleeper = FunctionTool(name: "sleeper", description: "Sleeps", parameters: ["type": "object"]) {
            (_: City) -> String in
            started.open()
            try await Task.sleep(for: .seconds(600))
            return "woke"
        }
        let model = ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1", "sleeper"))])
        let agent = try Agent(model: model, tools: [sleeper])
        let consumer = Task {
            for try await _ in agent.updates([.user("?")], config: RunnableConfig(callbacks: [recorder])) {}
        }
        await started.wait()
        consumer.cancel()
        await #expect(throws: CancellationError.self) { try await consumer.value }
        #expect(recorder.hookNames.filter { $0.hasSuffix("_error") } == ["on_tool_error", "on_chain_error"])
    }

    @Test func jsonToolCallingShowsTheModelJSONTurnsAndKeepsTheUsualShape() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant(#"{"tool": "weather", "with": {"city": "Paris"}}"#), .assistant(#"{"answer": "Sunny."}"#),
        ])
        let agent = try Agent(model: model, tools: [Self.weather], toolCalling: .json)
        #expect(agent.model.tools.isEmpty)
        guard case .jsonSchema(_, let schema, _) = agent.model.responseFormat else {
            Issue.record("no JSON schema response format: \(String(describing: agent.model.responseFormat))")
            return
        }
        try (["tool": "weather", "with": ["city": "Oslo"]] as JSONValue).check(against: schema)
        try (["answer": "Sunny."] as JSONValue).check(against: schema)
        #expect(throws: SchemaViolation.self) {
            try (["tool": "clock", "with": [:]] as JSONValue).check(against: schema)
        }
        let result = try await agent.invoke([.system("Be brief."), .user("Weather in Paris?")])
        #expect(result.messages.map(\.role) == [.system, .user, .assistant, .tool, .assistant])
        #expect(
            result.messages[2].toolCalls == [ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Paris"}"#)])
        #expect(result.messages[3] == .tool("Sunny in Paris", callID: "call_1"))
        #expect(result.answer.text == "Sunny.")
        let shown = model.calls[1]
        #expect(shown.map(\.role) == [.system, .user, .assistant, .user])
        #expect(shown[0].text.hasPrefix("Be brief.\n\nYou can call one of these tools"))
        #expect(shown[0].text.contains("- weather: The weather in a city Arguments: {"))
        #expect(shown[2].text == #"{"tool":"weather","with":{"city":"Paris"}}"#)
        #expect(
            shown[3].text == "The tool weather answered: Sunny in Paris. Answer the question, or call another tool.")
    }

    @Test func aJSONTurnThatIsNeitherIsTheFinalAnswerAsItCame() async throws {
        let model = ScriptedChatModel(replies: [.assistant(#"{"answer": "cut sho"#)])
        let result = try await Agent(model: model, tools: [Self.weather], toolCalling: .json).invoke([.user("?")])
        #expect(result.answer.text == #"{"answer": "cut sho"#)
        #expect(result.steps == 1)
    }

    @Test func aBatchRunsEachConversationAndStreamEventsSeeEveryStep() async throws {
        let model = ScriptedChatModel { conversation in
            guard let last = conversation.last, last.role == .tool else {
                let city = conversation.last?.text ?? ""
                return AgentScript.asking(AgentScript.call("c-\(city)", "weather", #"{"city":"\#(city)"}"#))
            }
            return .assistant("Done: \(last.text)")
        }
        let agent = try Agent(model: model, tools: [Self.weather])
        let results = try await agent.batch([[.user("Paris")], [.user("Rome")], [.user("Oslo")]])
        #expect(results.map(\.answer.text) == ["Done: Sunny in Paris", "Done: Sunny in Rome", "Done: Sunny in Oslo"])
        var events: [String] = []
        for try await event in agent.streamEvents([.user("Lima")]) {
            events.append("\(event.event) \(event.name)")
        }
        #expect(events.first == "on_chain_start Agent" && events.last == "on_chain_end Agent")
        #expect(events.contains("on_tool_start weather") && events.contains("on_tool_end weather"))
        #expect(events.filter { $0.hasPrefix("on_chat_model_start") }.count == 2)
    }
}
