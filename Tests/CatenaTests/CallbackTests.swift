import Catena
import CatenaTestServices
import CatenaTesting
import Foundation
import Synchronization
import Testing

@Suite struct CallbackTests {
    /// A handler whose hooks are slow, recording the order it saw events in.
    struct SlowSink: AsyncCallbackHandler {
        let seen = Recorded<String>()
        func handle(_ event: CallbackEvent) async throws {
            try await Task.sleep(for: .milliseconds(1))
            seen.append(event.hookName)
        }
    }

    /// A handler that holds every event until the test opens its gate, recording the order it saw them in.
    struct GatedSink: AsyncCallbackHandler {
        let seen = Recorded<String>()
        let gate = AsyncGate()
        func handle(_ event: CallbackEvent) async throws {
            await gate.wait()
            seen.append(event.hookName)
        }
    }

    @Test func bufferedHandlerDeliversEveryEventInOrderAfterFlush() async throws {
        let sink = GatedSink()
        let buffered = BufferedCallbackHandler(sink)
        let inline = RecordingCallbackHandler()
        // The stream ends while the sink has not taken a single event: it never waited for it.
        _ = try await PrefixLLM(n: 5).stream("hello", config: .init(callbacks: [buffered, inline])).collect()
        #expect(sink.seen.values.isEmpty)
        #expect(buffered.backlog > 0)
        sink.gate.open()
        await buffered.flush()
        #expect(buffered.backlog == 0)
        #expect(sink.seen.values == inline.hookNames)
        #expect(sink.seen.values.count == 7)
    }

    @Test func bufferedHandlerIsBoundedByBackpressureAndLosesNothing() async throws {
        let sink = SlowSink()
        let buffered = BufferedCallbackHandler(sink, capacity: 3)
        let inputs = (0..<12).map { PromptValue.text("q\($0)") }
        // Each input is a run of 2 events; with room for 3, the batch's runs wait for the slow sink to catch up.
        let outputs = try await PrefixLLM(n: 2).batch(inputs, config: .init(callbacks: [buffered], maxConcurrency: 4))
        #expect(outputs.count == 12)
        #expect(buffered.backlog <= 3 + 4 * 2)
        await buffered.flush()
        let statistics = buffered.statistics
        #expect(statistics.submitted == 24)
        #expect(statistics.delivered == 24)
        #expect(statistics.backpressureWaits > 0)
        #expect(sink.seen.values.filter { $0 == "on_llm_start" }.count == 12)
        #expect(sink.seen.values.filter { $0 == "on_llm_end" }.count == 12)
    }

    @Test func bufferedHandlerIsolatesErrors() async throws {
        struct Broken: AsyncCallbackHandler {
            let count = Recorded<Int>()
            func handle(_ event: CallbackEvent) async throws {
                count.append(1)
                throw CatenaError(.invalidInput, "sink down")
            }
        }
        let broken = Broken()
        let buffered = BufferedCallbackHandler(broken)
        #expect(try await PrefixLLM(n: 2).invoke("hi", config: .init(callbacks: [buffered])) == "hi")
        await buffered.flush()
        #expect(broken.count.values.count == 2)
        #expect(buffered.statistics.hookFailures == 2)
    }

    @Test func ignoreFlagsFilterEvents() async throws {
        final class ChainsOnly: CallbackHandler {
            let seen = Recorded<String>()
            var ignoresLLM: Bool { true }
            func handle(_ event: CallbackEvent) { seen.append(event.hookName) }
        }
        let handler = ChainsOnly()
        _ = try await (PromptTemplate("{q}") | PrefixLLM(n: 1)).invoke(["q": "x"], config: .init(callbacks: [handler]))
        #expect(handler.seen.values == ["on_chain_start", "on_chain_start", "on_chain_end", "on_chain_end"])
    }

    @Test func eachRunEndsOnceEvenIfAskedTwice() throws {
        let recorder = RecordingCallbackHandler()
        let manager = try CallbackManager(handlers: [recorder]).startChain(name: "x", inputs: RunValue("in"))
        try manager.onEnd(RunValue("out"))
        try manager.onError(CatenaError(.invalidInput, "late"))
        try manager.onEnd(RunValue("again"))
        try manager.onText("after the end")
        #expect(recorder.hookNames == ["on_chain_start", "on_chain_end"])
        #expect(manager.hasEnded)
    }

    @Test func childManagersInheritOnlyInheritableState() throws {
        let local = RecordingCallbackHandler()
        let inherited = RecordingCallbackHandler()
        let root = CallbackManager(
            handlers: [local, inherited], inheritableHandlers: [inherited],
            tags: ["local", "shared"], inheritableTags: ["shared"],
            metadata: ["a": 1, "b": 2], inheritableMetadata: ["b": 2])
        let run = try root.startChain(name: "root", inputs: RunValue(1))
        let childRun = try run.child(tag: "seq:step:1").startChain(name: "child", inputs: RunValue(2))
        #expect(childRun.run.parentID == run.runID)
        #expect(childRun.run.tags == ["seq:step:1", "shared"])
        #expect(childRun.run.metadata == ["b": 2])
        let grandchild = try childRun.child().startChain(name: "grandchild", inputs: RunValue(3))
        #expect(grandchild.run.tags == ["shared"])
        #expect(local.runIDs == [run.runID])
        #expect(inherited.runIDs == [run.runID, childRun.runID, grandchild.runID])
    }

    @Test func modelParametersAreBuiltOnceWhenReadAndCompleteTheRunsMetadataUnderTheManagersEntries() throws {
        let builds = Recorded<String>()
        let handler = RecordingCallbackHandler()
        let manager = CallbackManager(handlers: [handler], metadata: ["ls_provider": "mine", "k": 1])
        let parameters = InvocationParameters {
            builds.append("observed")
            return ["_type": "fake", "temperature": 0.5]
        }
        let run = try manager.startLLM(name: "m", prompts: ["p"], parameters: parameters).run
        #expect(builds.values.isEmpty)
        #expect(run.metadata == ["ls_provider": "mine", "ls_model_type": "llm", "k": 1])
        #expect(run.metadata == ["ls_provider": "mine", "ls_model_type": "llm", "k": 1])
        guard case .llmStart(_, let received) = handler.events.first?.payload else {
            Issue.record("no start event: \(handler.events)")
            return
        }
        #expect(received["temperature"] == 0.5)
        #expect(received.values == ["_type": "fake", "temperature": 0.5])
        #expect(builds.values == ["observed"])

        let chat = try CallbackManager(handlers: [handler]).startChatModel(
            name: "c", messages: [[.user("hi")]], parameters: ["_type": "fake-chat"])
        #expect(chat.run.metadata == ["ls_provider": "fake-chat", "ls_model_type": "chat"])

        let unobserved = try CallbackManager().startLLM(
            name: "m", prompts: ["p"],
            parameters: InvocationParameters {
                builds.append("unobserved")
                return ["_type": "fake"]
            })
        #expect(unobserved.run.metadata.isEmpty)
        #expect(builds.values == ["observed"])
    }

    @Test func noopManagersReportNothing() throws {
        try LLMRunManager.noop.onNewToken("x")
        try LLMRunManager.noop.onEnd(.empty)
        try ChainRunManager.noop.onEnd(RunValue(1))
        let unobserved = try LLMRunManager.noop.child().startChain(name: "x", inputs: RunValue(1))
        #expect(unobserved.run.parentID == nil)
    }

    @Test func consoleTracerPrintsTheTreeWithTimingsAndTokens() async throws {
        let lines = Recorded<String>()
        let chain = ChatPromptTemplate([.user("{q}")]) | FakeChatModel(replies: ["hi there"]) | StringOutputParser()
        _ = try await chain.stream(
            ["q": "x"], config: .init(callbacks: [ConsoleTracer { lines.append($0) }], runName: "demo")
        )
        .collect()
        let tree = try #require(lines.values.first).split(separator: "\n").map(String.init)
        #expect(lines.values.count == 1)
        #expect(tree.count == 4)
        #expect(tree[0].hasPrefix("demo [chain] ") && tree[0].contains(" ms"))
        #expect(tree[1].hasPrefix("├─ ChatPromptTemplate [prompt]"))
        #expect(tree[2].hasPrefix("├─ FakeChatModel [chat_model]") && tree[2].contains("3 tokens"))
        #expect(tree[3].hasPrefix("└─ StringOutputParser [parser]"))
    }

    @Test func runCollectorKeepsRecords() async throws {
        let collector = RunCollector()
        _ = try await (PromptTemplate("{q}") | PrefixLLM(n: 2)).invoke(
            ["q": "hey"], config: .init(callbacks: [collector]))
        let runs = collector.runs
        #expect(runs.map(\.type) == [.chain, .prompt, .llm])
        #expect(collector.children(of: runs[0].id).count == 2)
        #expect(runs[2].outputs?.as(LLMResult.self)?.generations.first?.first?.text == "he")
        #expect(runs.allSatisfy { $0.isFinished })
    }

    @Test func toolRunsAreReported() async throws {
        struct Arguments: Decodable, Sendable { var city: String }
        let weather = FunctionTool(
            name: "weather", description: "Weather in a city",
            parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
        ) { (arguments: Arguments) in "sunny in \(arguments.city)" }
        let recorder = RecordingCallbackHandler()
        let reply = try await weather.respond(
            to: ToolCall(id: "call-1", name: "weather", arguments: #"{"city": "Oslo"}"#),
            config: .init(callbacks: [recorder]))
        #expect(reply.role == .tool && reply.toolCallID == "call-1" && reply.text == "sunny in Oslo")
        #expect(recorder.hookNames == ["on_tool_start", "on_tool_end"])
        #expect(recorder.events.first?.run.type == .tool)
        #expect(weather.definition.name == "weather")

        let error = await #expect(throws: CatenaError.self) {
            try await weather.invoke(["town": "Oslo"], config: .init(callbacks: [recorder]))
        }
        #expect(error?.message.contains("weather") == true)
        #expect(recorder.hookNames.last == "on_tool_error")
    }
}
