import CatenaMacros
import CatenaTesting
import Testing

/// An agent whose runs end with a typed value: through a final-answer tool, or a JSON turn held to the schema.
@Suite struct TypedAgentTests {
    static let stop = FunctionTool(name: "stops", description: "Stops on the way") { (query: WeatherQuery) in
        "Lyon, \(query.city)"
    }
    static let answer = #"{"city":"Oslo","unit":"celsius","stops":[{"stop_name":"Lyon","minutes":7}],"tags":{}}"#

    @Test func theFinalAnswerToolEndsTheRunWithTheValueAndItsMistakesGoBack() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant("", toolCalls: [ToolCall(id: "c1", name: "final_answer", arguments: #"{"city":"Oslo"}"#)]),
            .assistant("", toolCalls: [ToolCall(id: "c2", name: "final_answer", arguments: Self.answer)]),
        ])
        let agent = try TypedAgent(model: model, tools: [Self.stop], output: WeatherQuery.self)
        #expect(agent.agent.model.tools.map(\.name) == ["stops", "final_answer"])
        #expect(agent.agent.model.tools.last?.parameters == WeatherQuery.jsonSchema)
        let result = try await agent.invoke([.user("Plan Oslo.")])
        #expect(result.value.city == "Oslo" && result.value.stops.map(\.name) == ["Lyon"])
        #expect(result.run.steps == 2)
        #expect(
            result.run.messages[2].text
                == "Error: the arguments of tool 'final_answer' do not fit its schema: field 'unit' is required")
        #expect(result.run.answer == .tool("Final answer given.", callID: "c2"))
    }

    @Test func aTypedRunOnAThreadResumesToItsValue() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant("", toolCalls: [ToolCall(id: "c1", name: "stops", arguments: Self.answer)]),
            .assistant("", toolCalls: [ToolCall(id: "c2", name: "final_answer", arguments: Self.answer)]),
        ])
        let agent = try TypedAgent(
            model: model, tools: [Self.stop], output: WeatherQuery.self,
            middleware: [.humanInTheLoop(before: ["stops"])])
        let thread = AgentThread("typed", in: InMemoryCheckpointStore())
        await #expect(throws: AgentInterrupt.self) { try await agent.invoke([.user("Plan Oslo.")], in: thread) }
        let result = try await agent.resume(thread, decisions: ["c1": .approve])
        #expect(result.value.city == "Oslo")
        #expect(result.run.messages[2] == .tool("Lyon, Oslo", callID: "c1"))
        #expect(try await thread.latest()?.status == .finished)
    }

    /// The partial answers a typed run's updates reported, and its value.
    static func streamed(_ agent: TypedAgent<ScriptedChatModel, WeatherQuery>) async throws
        -> (partials: [JSONValue], tokens: [String], value: WeatherQuery?)
    {
        var (partials, tokens, value): ([JSONValue], [String], WeatherQuery?) = ([], [], nil)
        for try await update in agent.updates([.user("Plan Oslo.")]) {
            switch update {
            case .step(.partialAnswer(let partial)): partials.append(partial)
            case .step(.token(let token)): tokens.append(token)
            case .finished(let result): value = result.value
            default: break
            }
        }
        return (partials, tokens, value)
    }

    @Test func theFinalAnswerToolsArgumentsAreReportedAsTheyStream() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant("Here:", toolCalls: [ToolCall(id: "c1", name: "final_answer", arguments: Self.answer)])
        ])
        let (partials, tokens, value) = try await Self.streamed(
            TypedAgent(model: model, tools: [], output: WeatherQuery.self))
        #expect(partials.count > 3)
        #expect(partials.first == ["city": "Oslo"])
        #expect(partials.last == (try JSONValue(parsing: Self.answer)))
        #expect(Set(partials).count == partials.count)
        #expect(tokens == ["Here:"])
        #expect(value?.city == "Oslo")
    }

    @Test func aJSONTurnsTypedAnswerIsReportedAsItStreamsNotAsTokens() async throws {
        let model = ScriptedChatModel(replies: [.assistant(#"{"answer": \#(Self.answer)}"#)])
        let (partials, tokens, value) = try await Self.streamed(
            TypedAgent(model: model, tools: [Self.stop], output: WeatherQuery.self, toolCalling: .json))
        #expect(partials == [try JSONValue(parsing: Self.answer)])
        #expect(tokens.isEmpty)
        #expect(value?.stops.map(\.name) == ["Lyon"])
    }

    @Test func aRunThatEndsWithoutTheValueSaysSo() async throws {
        let model = ScriptedChatModel(replies: [.assistant("I cannot.")])
        let agent = try TypedAgent(model: model, tools: [], output: WeatherQuery.self)
        let error = await #expect(throws: OutputParserError.self) { try await agent.invoke([.user("?")]) }
        #expect(error?.reason.contains("final_answer was not called") == true)
        #expect(error?.rawOutput == "I cannot.")
    }

    @Test func withJSONTurnsTheAnswerIsHeldToTheSchema() async throws {
        let model = ScriptedChatModel(replies: [.assistant(#"{"answer": \#(Self.answer)}"#)])
        let agent = try TypedAgent(model: model, tools: [Self.stop], output: WeatherQuery.self, toolCalling: .json)
        guard case .jsonSchema(_, let schema, _) = agent.agent.model.responseFormat else {
            Issue.record("no schema asked for")
            return
        }
        try (["answer": try JSONValue(parsing: Self.answer)] as JSONValue).check(against: schema)
        #expect(throws: SchemaViolation.self) { try (["answer": "text"] as JSONValue).check(against: schema) }
        #expect(try await agent.invoke([.user("Plan Oslo.")]).value.unit == .celsius)
    }
}
