import Catena
import CatenaTesting
import Testing

/// S01–S07: Catena against traces recorded from langchain-core 1.7.2 (see Fixtures/ and shared/conformance).
@Suite struct ConformanceTests {
    static let chatPrompt = ChatPromptTemplate([.system("you are a bot"), .user("{input}")])

    /// A model whose call fails, as in S07.
    struct FailingLLM: LLM {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        var name: String { "FailingLLM" }
        var llmType: String { "failing" }
        var identifyingParameters: [String: JSONValue] { ["model_name": "FailingLLM"] }
        func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String { throw Boom() }
    }

    /// A text model whose `_type` differs from what its type's name gives.
    struct SelectiveFailLLM: LLM {
        var llmType: String { "selective-fail" }
        func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String { prompt }
    }

    /// Chat models named as LangChain's chat model classes are.
    struct ChatEcho: ChatModel {
        var llmType: String { "echo-type" }
        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            ChatResult(message: .assistant("echo"))
        }
    }
    struct EchoChat: ChatModel {
        var llmType: String { "echo-type" }
        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            ChatResult(message: .assistant("echo"))
        }
    }

    @Test func lsProviderComesFromTheTypesNameAsLangChainDerivesItFromTheClassName() async throws {
        #expect(SelectiveFailLLM().providerName == "selectivefail")
        #expect(ChatEcho().providerName == "echo" && EchoChat().providerName == "echo")
        #expect(FakeChatModel(replies: ["x"]).providerName == "fake-chat")
        let recorder = RecordingCallbackHandler()
        _ = try await SelectiveFailLLM().invoke("hi", config: .init(callbacks: [recorder]))
        let start = try #require(recorder.events.first)
        #expect(start.run.metadata["ls_provider"] == "selectivefail")
        guard case .llmStart(_, let parameters) = start.payload else { Issue.record("\(start)"); return }
        #expect(parameters["_type"] == "selective-fail")
    }

    @Test func s01InvokeMatchesLangChain() async throws {
        let trace = try ConformanceTrace("S01")
        let recorder = RecordingCallbackHandler()
        let output = try await PrefixLLM(n: 5).invoke("This is a foobar thing", config: .init(callbacks: [recorder]))
        #expect(output == "This ")
        #expect(ConformanceTrace.normalize(recorder.events) == trace.callbackEvents("invoke"))
    }

    @Test func s02StreamMatchesLangChainWithTokensBeforeEachYield() async throws {
        let trace = try ConformanceTrace("S02")
        let recorder = RecordingCallbackHandler()
        var chunks: [String] = []
        var eventsAtYield: [Int] = []
        for try await chunk in PrefixLLM(n: 5).stream("hello", config: .init(callbacks: [recorder])) {
            chunks.append(chunk)
            eventsAtYield.append(recorder.events.count)
        }
        #expect(chunks == ["h", "e", "l", "l", "o"])
        #expect(ConformanceTrace.normalize(recorder.events) == trace.callbackEvents("stream"))
        // The token of each chunk is reported before the chunk reaches the consumer (start + one token per chunk).
        #expect(eventsAtYield == [2, 3, 4, 5, 6])
    }

    @Test func s03BatchMatchesLangChainPerRun() async throws {
        let trace = try ConformanceTrace("S03")
        let recorder = RecordingCallbackHandler()
        let outputs = try await PrefixLLM(n: 5).batch(
            ["woof woof woof", "meow meow meow"], config: .init(callbacks: [recorder]))
        #expect(outputs == ["woof ", "meow "])
        // Concurrent runs interleave freely; each run's own events match.
        let perRun = recorder.runIDs.map { ConformanceTrace.normalize(recorder.events(of: $0)) }
        #expect(perRun == trace.callbackEventsPerRun("batch"))

        let sequential = RecordingCallbackHandler()
        _ = try await PrefixLLM(n: 5).batch(
            ["woof woof woof", "meow meow meow"], config: .init(callbacks: [sequential], maxConcurrency: 1))
        #expect(ConformanceTrace.normalize(sequential.events) == trace.callbackEvents("batch_max_concurrency_1"))
    }

    @Test func s04ChainInvokeAndStreamMatchLangChain() async throws {
        let trace = try ConformanceTrace("S04")
        let chain = Self.chatPrompt | PrefixLLM(n: 7)
        let config = RunnableConfig(tags: ["t1"], metadata: ["k": "v"], runName: "my_chain")

        let invoked = RecordingCallbackHandler()
        var withHandler = config
        withHandler.callbacks = [invoked]
        #expect(try await chain.invoke(["input": "hello there!"], config: withHandler) == "System:")
        #expect(ConformanceTrace.normalize(invoked.events) == trace.callbackEvents("invoke"))

        let streamed = RecordingCallbackHandler()
        withHandler.callbacks = [streamed]
        let chunks = try await chain.stream(["input": "hello there!"], config: withHandler).collect()
        #expect(chunks == ["S", "y", "s", "t", "e", "m", ":"])
        let expected = trace.callbackEvents("stream")
        #expect(ConformanceTrace.align(ConformanceTrace.normalize(streamed.events), to: expected) == expected)
    }

    @Test func s05StreamEventsMatchLangChain() async throws {
        let trace = try ConformanceTrace("S05")
        let chain = Self.chatPrompt | PrefixLLM(n: 7)
        let plain = try await chain.streamEvents(["input": "hello there!"]).collect()
        #expect(ConformanceTrace.normalize(plain) == trace.streamEvents("astream_events_v2_no_config"))

        let recorder = RecordingCallbackHandler()
        let configured = try await chain.streamEvents(
            ["input": "hello there!"],
            config: .init(tags: ["t1"], metadata: ["k": "v"], callbacks: [recorder], runName: "my_chain")
        ).collect()
        #expect(ConformanceTrace.normalize(configured) == trace.streamEvents("astream_events_v2_with_config"))
        let callbacks = trace.callbackEvents("astream_events_v2_with_config", key: "events_callbacks")
        #expect(ConformanceTrace.align(ConformanceTrace.normalize(recorder.events), to: callbacks) == callbacks)
    }

    @Test func s06ChatChainMatchesLangChain() async throws {
        let trace = try ConformanceTrace("S06")
        let model = FakeChatModel(replies: ["hello world"], llmType: "genericfakechatmodel")
        let chain = Self.chatPrompt | model | StringOutputParser()

        let events = try await chain.streamEvents(["input": "hi"]).collect()
        #expect(ConformanceTrace.normalize(events) == trace.streamEvents("astream_events_v2"))

        let invoked = RecordingCallbackHandler()
        #expect(try await chain.invoke(["input": "hi"], config: .init(callbacks: [invoked])) == "hello world")
        #expect(ConformanceTrace.normalize(invoked.events) == trace.callbackEvents("invoke"))

        let streamed = RecordingCallbackHandler()
        let chunks = try await chain.stream(["input": "hi"], config: .init(callbacks: [streamed])).collect()
        #expect(chunks == ["hello", " ", "world"])
        let expected = trace.callbackEvents("stream")
        #expect(ConformanceTrace.align(ConformanceTrace.normalize(streamed.events), to: expected) == expected)

        let alone = RecordingCallbackHandler()
        let reply = try await model.invoke("hi", config: .init(callbacks: [alone]))
        #expect(reply.text == "hello world")
        #expect(ConformanceTrace.normalize(alone.events) == trace.callbackEvents("chat_model_invoke_alone"))
    }

    @Test func s07ErrorsMatchLangChain() async throws {
        let trace = try ConformanceTrace("S07")
        let chain = ChatPromptTemplate([.user("{input}")]) | FailingLLM()

        let alone = RecordingCallbackHandler()
        await #expect(throws: FailingLLM.Boom.self) {
            try await FailingLLM().invoke("hi", config: .init(callbacks: [alone]))
        }
        #expect(ConformanceTrace.normalize(alone.events) == trace.callbackEvents("llm_alone_invoke"))

        let inChain = RecordingCallbackHandler()
        await #expect(throws: FailingLLM.Boom.self) {
            try await chain.invoke(["input": "hi"], config: .init(callbacks: [inChain]))
        }
        #expect(ConformanceTrace.normalize(inChain.events) == trace.callbackEvents("chain_invoke"))

        let streamed = RecordingCallbackHandler()
        await #expect(throws: FailingLLM.Boom.self) {
            try await FailingLLM().stream("hi", config: .init(callbacks: [streamed])).collect()
        }
        #expect(ConformanceTrace.normalize(streamed.events) == trace.callbackEvents("llm_alone_stream"))

        var seen: [StreamEvent] = []
        await #expect(throws: FailingLLM.Boom.self) {
            for try await event in chain.streamEvents(["input": "hi"]) { seen.append(event) }
        }
        #expect(ConformanceTrace.normalize(seen) == trace.streamEvents("chain_astream_events_v2"))
    }
}
