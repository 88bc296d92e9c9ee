import Catena
import CatenaTesting
import Testing

/// Both deliveries of `streamEvents` yield the same events as LangChain, errors after the events before them, and
/// events from concurrent branches.
@Suite struct StreamEventsDeliveryTests {
    static let deliveries: [StreamEventsDelivery] = [.live, .inline]

    @Test(arguments: deliveries) func chatChainEventsMatchLangChain(delivery: StreamEventsDelivery) async throws {
        let trace = try ConformanceTrace("S06")
        let chain = ConformanceTests.chatPrompt | FakeChatModel(replies: ["hello world"], llmType: "genericfakechatmodel")
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

    @Test(arguments: deliveries) func errorEndsTheStreamAfterEarlierEvents(delivery: StreamEventsDelivery) async throws {
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
}
