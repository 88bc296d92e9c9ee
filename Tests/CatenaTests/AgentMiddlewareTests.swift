import Catena
import CatenaTestServices
import CatenaTesting
import Synchronization
import Testing

/// The middleware hooks' order, and each middleware Catena ships, with scripted models.
@Suite struct AgentMiddlewareTests {
    typealias City = AgentScript.City
    static let weather = AgentScript.weather

    /// A middleware that records each of its hooks as `<name>.<hook>`.
    static func recording(_ name: String, into log: Recorded<String>) -> AgentMiddleware {
        AgentMiddleware(
            name: name, beforeAgent: { _ in log.append("\(name).beforeAgent") },
            beforeModel: { _ in log.append("\(name).beforeModel") },
            aroundModelCall: { request, next in
                log.append("\(name).model>")
                defer { log.append("\(name).model<") }
                return try await next(request)
            },
            afterModel: { _ in log.append("\(name).afterModel") },
            aroundToolCall: { request, next in
                log.append("\(name).tool>")
                defer { log.append("\(name).tool<") }
                return try await next(request)
            },
            afterAgent: { _ in log.append("\(name).afterAgent") })
    }

    @Test func hooksRunInOrderAfterHooksInReverseAndEachIsTraced() async throws {
        let log = Recorded<String>()
        let collector = RunCollector()
        let model = ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1")), .assistant("Sunny.")])
        let agent = try Agent(
            model: model, tools: [Self.weather],
            middleware: [Self.recording("A", into: log), Self.recording("B", into: log)])
        _ = try await agent.invoke([.user("?")], config: RunnableConfig(callbacks: [collector]))
        let turn = [
            "A.beforeModel", "B.beforeModel", "A.model>", "B.model>", "B.model<", "A.model<", "B.afterModel",
            "A.afterModel",
        ]
        #expect(
            log.values
                == ["A.beforeAgent", "B.beforeAgent"] + turn + ["A.tool>", "B.tool>", "B.tool<", "A.tool<"] + turn
                + ["B.afterAgent", "A.afterAgent"])
        let hooks = try #require(collector.roots.first).children.filter { $0.type == .chain }.map(\.name)
        #expect(hooks.prefix(4) == ["A.before_agent", "B.before_agent", "A.before_model", "B.before_model"])
        #expect(hooks.suffix(2) == ["B.after_agent", "A.after_agent"])
    }

    @Test func theModelCallLimitEndsTheRunOrFailsIt() async throws {
        let model = ScriptedChatModel { _ in AgentScript.asking(AgentScript.call("again")) }
        let ended = try await Agent(model: model, tools: [Self.weather], middleware: [.modelCallLimit(2)])
            .invoke([.user("?")])
        #expect(ended.steps == 2)
        #expect(ended.answer == .assistant("The model call limit of this run (2) was reached."))
        let failing = try Agent(model: model, tools: [Self.weather], middleware: [.modelCallLimit(1, onLimit: .fail)])
        let error = await #expect(throws: AgentError.self) { try await failing.invoke([.user("?")]) }
        #expect(error?.description == "the run reached its limit of 1 model calls")
        #expect(error?.conversation.count == 3)
    }

    @Test func theToolCallLimitAnswersCallsPastItWithoutRunningThem() async throws {
        let runs = Counter()
        let counted = FunctionTool(name: "weather", description: "Counts", parameters: ["type": "object"]) {
            (arguments: City) in
            _ = runs.increment()
            return arguments.city
        }
        let model = ScriptedChatModel(replies: [
            AgentScript.asking(AgentScript.call("c1"), AgentScript.call("c2", city: "Rome")),
            AgentScript.asking(AgentScript.call("c3", city: "Oslo")),
            .assistant("done"),
        ])
        let result = try await Agent(model: model, tools: [counted], middleware: [.toolCallLimit(2)])
            .invoke([.user("?")])
        #expect(runs.value == 2)
        #expect(result.messages[2].text == "Paris" && result.messages[3].text == "Rome")
        #expect(
            result.messages[5].text
                == "Error: tool 'weather' may be called 2 times in a run, and was; do not call it again.")
    }

    @Test func aFailingToolIsRetriedAsThePolicySaysWithoutWaitingOnTheClock() async throws {
        struct Flaky: Error {}
        let (attempts, waits) = (Counter(), Recorded<Duration>())
        let flaky = FunctionTool(name: "weather", description: "Fails twice", parameters: ["type": "object"]) {
            (arguments: City) in
            if attempts.increment() < 3 { throw Flaky() }
            return "Sunny in \(arguments.city)"
        }
        let policy = RetryPolicy(
            maxAttempts: 3, initialDelay: .seconds(1), jitter: .zero, sleep: { waits.append($0) })
        let model = ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1")), .assistant("Sunny.")])
        let result = try await Agent(model: model, tools: [flaky], middleware: [.toolRetry(policy)])
            .invoke([.user("?")])
        #expect(result.messages[2].text == "Sunny in Paris")
        #expect(waits.values == [.seconds(1), .seconds(2)])
    }

    @Test func aFailingModelFallsBackToTheNextWithTheToolsBound() async throws {
        struct Down: Error {}
        let primary = ScriptedChatModel { _ in throw Down() }
        let backup = ScriptedChatModel(replies: [
            AgentScript.asking(AgentScript.call("c1")), .assistant("Sunny (backup)."),
        ])
        let result = try await Agent(
            model: primary, tools: [Self.weather], middleware: [.modelFallback([backup])]
        ).invoke([.user("?")])
        #expect(result.answer.text == "Sunny (backup).")
        #expect(backup.calls.count == 2 && primary.calls.count == 2)
        let all = ScriptedChatModel { _ in throw Down() }
        await #expect(throws: Down.self) {
            try await Agent(model: primary, tools: [], middleware: [.modelFallback([all])]).invoke([.user("?")])
        }
    }

    @Test func personalDataIsRedactedMaskedOrBlocked() async throws {
        let text = "Mail jo.doe@example.com from 192.168.1.20, card 4111 1111 1111 1111, order 1234567890123456."
        let model = ScriptedChatModel { conversation in .assistant("Seen: " + (conversation.last?.text ?? "")) }
        let redacting = try Agent(
            model: model, tools: [], middleware: [.piiRedaction([.email, .ipAddress, .creditCard])])
        let redacted = try await redacting.invoke([.user(text)])
        #expect(
            model.calls.last?.last?.text
                == "Mail [REDACTED_EMAIL] from [REDACTED_IP], card [REDACTED_CREDIT_CARD], order 1234567890123456.")
        #expect(redacted.messages[0].text == model.calls.last?.last?.text)
        let masking = try Agent(
            model: model, tools: [], middleware: [.piiRedaction([.creditCard], strategy: .mask, checking: .output)])
        #expect(
            try await masking.invoke([.user(text)]).answer.text
                == "Seen: Mail jo.doe@example.com from 192.168.1.20, card ***************1111, order 1234567890123456.")
        let blocking = try Agent(model: model, tools: [], middleware: [.piiRedaction([.email], strategy: .block)])
        let error = await #expect(throws: PersonalDataBlocked.self) { try await blocking.invoke([.user(text)]) }
        #expect(error?.description == "a user message holds personal data (email): blocked")
    }

    @Test func oldToolResultsAreClearedPastTheContextSize() async throws {
        let model = ScriptedChatModel(replies: [
            AgentScript.asking(AgentScript.call("c1")), AgentScript.asking(AgentScript.call("c2", city: "Rome")),
            AgentScript.asking(AgentScript.call("c3", city: "Oslo")), .assistant("done"),
        ])
        _ = try await Agent(
            model: model, tools: [Self.weather], middleware: [.clearToolResults(above: 10, keepingLast: 1)]
        ).invoke([.user("Weather in Paris, Rome and Oslo, please, one after the other.")])
        let last = try #require(model.calls.last)
        #expect(last.filter { $0.role == .tool }.map(\.text) == ["[cleared]", "[cleared]", "Sunny in Oslo"])
        #expect(last.filter { $0.role == .assistant }.flatMap(\.toolCalls).map(\.id) == ["c1", "c2", "c3"])
    }

    @Test func aSummaryReplacesTheOldTurnsTracedUnderItsHookWithoutTokensInTheUpdates() async throws {
        let summarizer = ScriptedChatModel(replies: [.assistant("They asked about Paris; it is sunny.")])
        let model = ScriptedChatModel(replies: [AgentScript.asking(AgentScript.call("c1")), .assistant("Still sunny.")])
        let agent = try Agent(
            model: model, tools: [Self.weather],
            middleware: [.summarization(model: summarizer, above: 5, keepingLast: 1)])
        let collector = RunCollector()
        var tokens = ""
        for try await update in agent.updates(
            [.system("Be brief."), .user("What is the weather in Paris today?")],
            config: RunnableConfig(callbacks: [collector]))
        {
            if case .token(let text) = update { tokens += text }
        }
        #expect(tokens == "Still sunny.")
        #expect(summarizer.calls.count == 1)
        let second = try #require(model.calls.last)
        #expect(second.map(\.role) == [.system, .user, .assistant, .tool])
        #expect(second[1].text == "Here is a summary of the conversation so far:\nThey asked about Paris; it is sunny.")
        let hook = try #require(
            collector.runs.first { $0.name == "Summarization.before_model" && !$0.children.isEmpty })
        #expect(hook.children.map(\.type) == [.chatModel])
    }
}

extension AgentMiddlewareTests {
    static func interrupted(_ agent: Agent<ScriptedChatModel>) async throws -> AgentInterrupt {
        do {
            _ = try await agent.invoke([.user("Weather in Paris, and the time?")])
        } catch let interrupt as AgentInterrupt {
            return interrupt
        }
        throw CatenaError(.invalidInput, "the run was not interrupted")
    }

    static func hitlAgent(runs: Recorded<String>) throws -> Agent<ScriptedChatModel> {
        let weather = FunctionTool(name: "weather", description: "Weather", parameters: ["type": "object"]) {
            (arguments: City) in
            runs.append("weather \(arguments.city)")
            return "Sunny in \(arguments.city)"
        }
        let clock = FunctionTool(name: "clock", description: "Time", parameters: ["type": "object"]) {
            (_: City) in
            runs.append("clock")
            return "14:05"
        }
        let model = ScriptedChatModel { conversation in
            conversation.last?.role == .tool
                ? .assistant("Done: " + conversation.filter { $0.role == .tool }.map(\.text).joined(separator: "; "))
                : AgentScript.asking(AgentScript.call("w1"), AgentScript.call("t1", "clock"))
        }
        return try Agent(model: model, tools: [weather, clock], middleware: [.humanInTheLoop(before: ["weather"])])
    }

    @Test func aRunWaitsBeforeAChosenToolAndResumesWithTheEditedCall() async throws {
        let runs = Recorded<String>()
        let agent = try Self.hitlAgent(runs: runs)
        let interrupt = try await Self.interrupted(agent)
        #expect(interrupt.pending.map(\.id) == ["w1"])
        #expect(interrupt.description == #"the agent waits for a decision on weather({"city":"Paris"})"#)
        #expect(runs.values.isEmpty)
        let result = try await agent.resume(interrupt, decisions: ["w1": .edit(arguments: ["city": "Rome"])])
        #expect(runs.values.sorted() == ["clock", "weather Rome"])
        #expect(result.messages[1].toolCalls.first?.arguments == #"{"city":"Rome"}"#)
        #expect(result.answer.text == "Done: Sunny in Rome; 14:05")
        #expect(result.steps == 2)
    }

    @Test func aRejectedCallIsNotRunAndTheModelIsToldWhy() async throws {
        let runs = Recorded<String>()
        let agent = try Self.hitlAgent(runs: runs)
        let interrupt = try await Self.interrupted(agent)
        await #expect(throws: CatenaError.self) { try await agent.resume(interrupt, decisions: [:]) }
        let result = try await agent.resume(interrupt, decisions: ["w1": .reject(reason: "not today")])
        #expect(runs.values == ["clock"])
        #expect(result.answer.text == "Done: The user rejected this call: not today; 14:05")
    }
}

/// A thread-safe count, for tools called from child tasks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    /// The count after adding one.
    func increment() -> Int { count.add(1, ordering: .relaxed).newValue }
    var value: Int { count.load(ordering: .relaxed) }
}
