import Catena
import CatenaTesting
import CatenaTestServices
import Testing

/// Both deliveries of `streamEvents` yield the same events as LangChain, errors after the events before them, and
/// events from concurrent branches.
@Suite struct StreamEventsDeliveryTests {
    static let deliveries: [StreamEventsDelivery] = [.live, .inline]

    @Test(arguments: deliveries) func chatChainEventsMatchLangChain(delivery: StreamEventsDelivery) async throws {
        let trace = try ConformanceTrace("S06")
        let chain =
            ConformanceTests.chatPrompt | FakeChatModel(replies: ["hello world"], llmType: "genericfakechatmodel")
            | StringOutputParser()
        let events = try await chain.streamEvents(["input": "hi"], delivery: delivery).collect()
        #expect(ConformanceTrace.normalize(events) == trace.streamEvents("astream_events_v2"))
    }

    @Test(arguments: deliveries) func configuredEventsMatchLangChain(delivery: StreamEventsDelivery) async throws {
        let trace = try ConformanceTrace("S05")
        let events = try await (ConformanceTests.chatPrompt | PrefixLLM(n: 7)).streamEvents(
            ["input": "hello there!"], config: .init(tags: ["t1"], metadata: ["k": "v"], runName: "my_chain"),
            delivery: delivery
        ).collect()
        #expect(ConformanceTrace.normalize(events) == trace.streamEvents("astream_events_v2_with_config"))
    }

    @Test(arguments: deliveries) func errorEndsTheStreamAfterEarlierEvents(delivery: StreamEventsDelivery) async throws
    {
        let trace = try ConformanceTrace("S07")
        var seen: [StreamEvent] = []
        await #expect(throws: ConformanceTests.FailingLLM.Boom.self) {
            let chain = ChatPromptTemplate([.user("{input}")]) | ConformanceTests.FailingLLM()
            for try await event in chain.streamEvents(["input": "hi"], delivery: delivery) { seen.append(event) }
        }
        #expect(ConformanceTrace.normalize(seen) == trace.streamEvents("chain_astream_events_v2"))
    }

    @Test(arguments: deliveries) func parallelBranchesReportEveryEvent(delivery: StreamEventsDelivery) async throws {
        let branch = { (label: String) in
            RunnableLambda(name: label) { (text: String) in
                try RunContext.dispatchCustomEvent("progress", data: .string(label))
                return text + label
            }
        }
        let parallel = RunnableParallel(["a": branch("a"), "b": branch("b"), "c": branch("c")])
        let events = try await parallel.streamEvents("x", delivery: delivery).collect()
        let custom = events.filter { $0.event == "on_custom_event" }
        #expect(Set(custom.compactMap { $0.data.custom?.stringValue }) == ["a", "b", "c"])
        #expect(events.filter { $0.event == "on_chain_start" }.count == 4)
        #expect(events.filter { $0.event == "on_chain_end" }.count == 4)
        let root = try #require(events.first)
        #expect(custom.allSatisfy { $0.parentIDs == [root.runID] })
    }

    /// The order and payloads langchain-core 1.7.2 reports for `RunnableLambda(f, name="a") | RunnableLambda(g,
    /// name="b")` and for a lambda alone (`astream_events(version="v2")`). LangChain also repeats the input on the end
    /// events of `a` and `b` (runs that started before their input was known); Catena does not report it there yet.
    @Test(arguments: deliveries) func lambdasStreamTheirResultAsLangChainReportsIt(delivery: StreamEventsDelivery)
        async throws
    {
        let first = RunnableLambda(name: "a") { (text: String) in text + "!" }
        let second = RunnableLambda(name: "b") { (text: String) in text + "?" }
        let describe = { (event: StreamEvent) in
            let data = [
                event.data.input.map { "in=\($0.text)" }, event.data.chunk.map { "chunk=\($0.text)" },
                event.data.output.map { "out=\($0.text)" },
            ].compactMap { $0 }
            return ([event.event, event.name] + event.tags + data).joined(separator: " ")
        }
        let chained = try await (first | second).streamEvents("q", delivery: delivery).collect().map(describe)
        #expect(
            chained == [
                "on_chain_start RunnableSequence in=q", "on_chain_start a seq:step:1",
                "on_chain_stream a seq:step:1 chunk=q!",
                "on_chain_start b seq:step:2", "on_chain_end a seq:step:1 out=q!",
                "on_chain_stream b seq:step:2 chunk=q!?",
                "on_chain_stream RunnableSequence chunk=q!?", "on_chain_end b seq:step:2 out=q!?",
                "on_chain_end RunnableSequence out=q!?",
            ])
        let alone = try await first.streamEvents("q", delivery: delivery).collect().map(describe)
        #expect(alone == ["on_chain_start a in=q", "on_chain_stream a chunk=q!", "on_chain_end a out=q!"])
    }

    @Test(arguments: deliveries) func retrieverAndToolRunsAreNamedByTheirType(delivery: StreamEventsDelivery)
        async throws
    {
        let step = RunnableLambda(name: "lookup") { (query: String) in
            let callbacks = RunContext.current.callbacks
            let retriever = try callbacks.startRetriever(name: "docs", query: query)
            try retriever.onEnd([Document(pageContent: "found")])
            let tool = try callbacks.startTool(name: "search", input: .string(query))
            try tool.onEnd("done")
            return query
        }
        let events = try await step.streamEvents("q", delivery: delivery).collect()
        #expect(
            events.map { "\($0.event) \($0.name)" } == [
                "on_chain_start lookup", "on_retriever_start docs", "on_retriever_end docs", "on_tool_start search",
                "on_tool_end search", "on_chain_stream lookup", "on_chain_end lookup",
            ])
    }

    @Test(.timeLimit(.minutes(1))) func liveDeliveryReportsAStepBeforeItEnds() async throws {
        let gate = AsyncGate()
        let step = RunnableLambda(name: "slow") { (text: String) in
            try RunContext.dispatchCustomEvent("started", data: nil)
            await gate.wait()
            return text
        }
        var iterator = step.streamEvents("x", delivery: .live).makeAsyncIterator()
        var names: [String] = []
        while names.last != "on_custom_event", let event = try await iterator.next() { names.append(event.event) }
        #expect(names == ["on_chain_start", "on_custom_event"])
        gate.open()
        while let event = try await iterator.next() { names.append(event.event) }
        #expect(names.last == "on_chain_end")
    }

    @Test(.timeLimit(.minutes(1))) func cancellingALiveConsumerCancelsTheCall() async throws {
        let recorder = RecordingCallbackHandler()
        let step = RunnableLambda(name: "sleeper") { (text: String) in
            try await Task.sleep(for: .seconds(60))
            return text
        }
        let seen = Recorded<String>()
        let consumer = Task {
            for try await event in step.streamEvents("x", config: .init(callbacks: [recorder]), delivery: .live) {
                seen.append(event.event)
            }
        }
        while seen.values.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
        consumer.cancel()
        await #expect(throws: CancellationError.self) { try await consumer.value }
        #expect(seen.values == ["on_chain_start"])
        // The call is cancelled in its own task; wait for its single error.
        for _ in 0..<200 where !recorder.hookNames.contains("on_chain_error") {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(recorder.hookNames == ["on_chain_start", "on_chain_error"])
    }

    @Test(.timeLimit(.minutes(1))) func liveDeliveryKeepsEveryEventInOrderWhateverThePace() async throws {
        /// Streams `count` numbered chunks, pausing after every hundredth.
        struct PacedChat: ChatModel {
            let count: Int
            var llmType: String { "paced" }
            func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult
            {
                ChatResult(message: .assistant(""))
            }
            func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
                Message
            >? {
                let count = count
                return RunnableStream(makeNext: {
                    var produced = 0
                    return { () async throws -> Message? in
                        guard produced < count else { return nil }
                        if produced % 100 == 99 { try await Task.sleep(for: .milliseconds(1)) }
                        produced += 1
                        return .assistant("\(produced - 1) ")
                    }
                })
            }
        }
        // The consumer sometimes falls behind (batches pile up while the call runs on) and sometimes waits for the
        // call (batches of a few events, or none).
        var chunks: [String] = []
        var served = 0
        for try await event in PacedChat(count: 2_000).streamEvents("x", delivery: .live) {
            served += 1
            if served % 173 == 0 { try await Task.sleep(for: .milliseconds(2)) }
            if event.event == "on_chat_model_stream", let chunk = event.data.chunk { chunks.append(chunk.text) }
        }
        #expect(chunks == (0..<2_000).map { "\($0) " })
        #expect(served == 2_002)
    }
}
