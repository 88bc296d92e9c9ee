import Synchronization
import Catena
import CatenaTesting
import Testing

@Suite struct CompositionTests {
    let upper = RunnableLambda(name: "upper") { (text: String) in text.uppercased() }
    let exclaim = RunnableLambda(name: "exclaim") { (text: String) in text + "!" }

    @Test func sequencesFlattenAndTagSteps() async throws {
        let recorder = RecordingCallbackHandler()
        let chain = upper | exclaim | { (text: String) in text.count }
        #expect(chain.count == 3)
        #expect(try await chain.invoke("hi", config: .init(callbacks: [recorder])) == 3)
        let starts = recorder.events.filter { $0.hookName == "on_chain_start" }.map(\.run)
        #expect(starts.map(\.name) == ["RunnableSequence", "upper", "exclaim", "RunnableLambda"])
        #expect(starts.dropFirst().map(\.tags) == [["seq:step:1"], ["seq:step:2"], ["seq:step:3"]])
        #expect(starts.dropFirst().allSatisfy { $0.parentID == starts[0].id })
    }

    @Test func parallelBranchesAreTaggedByKey() async throws {
        let recorder = RecordingCallbackHandler()
        let both = RunnableParallel(["a": upper, "b": exclaim])
        let output = try await both.invoke("hi", config: .init(callbacks: [recorder]))
        #expect(output == ["a": "HI", "b": "hi!"])
        let children = recorder.events.filter { $0.hookName == "on_chain_start" && $0.run.parentID != nil }
        #expect(Set(children.map(\.run.tags)) == [["map:key:a"], ["map:key:b"]])
        #expect(recorder.events.first?.run.name == "RunnableParallel<a,b>")
    }

    @Test func passthroughStreamsChunksThrough() async throws {
        let chunks = try await (FakeChatModel(replies: ["one two"]) | RunnablePassthrough<Message>()).stream("x")
            .collect()
        #expect(chunks.map(\.text) == ["one", " ", "two"])
        #expect(try await RunnablePassthrough<Int>().invoke(7) == 7)
    }

    @Test func nestedRunnableInsideALambdaFindsItsParent() async throws {
        let recorder = RecordingCallbackHandler()
        let outer = RunnableLambda(name: "outer") { (text: String) in
            try RunContext.dispatchCustomEvent("progress", data: ["step": 1])
            return try await PrefixLLM(n: 2).invoke(text)
        }
        #expect(try await outer.invoke("hello", config: .init(tags: ["t"], callbacks: [recorder])) == "he")
        let outerRun = try #require(recorder.events.first).run
        let llmStart = try #require(recorder.events.first { $0.hookName == "on_llm_start" })
        #expect(llmStart.run.parentID == outerRun.id)
        #expect(llmStart.run.tags == ["t"])
        let custom = try #require(recorder.events.first { $0.hookName == "on_custom_event" })
        #expect(custom.run.id == outerRun.id)
        guard case .customEvent(let name, let data) = custom.payload else { return }
        #expect(name == "progress" && data == ["step": 1])
    }

    @Test func aHandlerAttachedAtSeveralLevelsGetsEachEventOnce() async throws {
        let (recorder, other) = (RecordingCallbackHandler(), RecordingCallbackHandler())
        let outer = RunnableLambda(name: "outer") { (text: String) in
            try await PrefixLLM(n: 2).invoke(text, config: .init(callbacks: [recorder, other, recorder]))
        }
        let config = RunnableConfig(callbacks: [recorder], localCallbacks: [recorder])
        #expect(try await outer.invoke("hello", config: config) == "he")
        #expect(recorder.hookNames == ["on_chain_start", "on_llm_start", "on_llm_end", "on_chain_end"])
        #expect(other.hookNames == ["on_llm_start", "on_llm_end"])
    }

    @Test func customEventOutsideARunIsAClearError() {
        #expect(throws: CatenaError.self) { try RunContext.dispatchCustomEvent("orphan", data: nil) }
    }

    @Test func customEventsAppearInStreamEvents() async throws {
        let step = RunnableLambda(name: "step") { (text: String) in
            try RunContext.dispatchCustomEvent("halfway", data: ["text": .string(text)])
            return text
        }
        let events = try await step.streamEvents("x").collect()
        let custom = try #require(events.first { $0.event == "on_custom_event" })
        #expect(custom.name == "halfway")
        #expect(custom.data.custom == ["text": "x"])
        #expect(custom.runID == events.first?.runID)
    }

    @Test func streamEventFiltersSelectByNameTypeAndTag() async throws {
        let chain = ChatPromptTemplate([.user("{input}")]) | FakeChatModel(replies: ["a b"]) | StringOutputParser()
        let models = try await chain.streamEvents(["input": "x"], filter: .init(includeTypes: [.chatModel])).collect()
        #expect(Set(models.map(\.event)) == ["on_chat_model_start", "on_chat_model_stream", "on_chat_model_end"])
        let noParser = try await chain.streamEvents(["input": "x"], filter: .init(excludeTags: ["seq:step:3"]))
            .collect()
        #expect(!noParser.contains { $0.runType == .parser })
        let byName = try await chain.streamEvents(["input": "x"], filter: .init(includeNames: ["ChatPromptTemplate"]))
            .collect()
        #expect(byName.map(\.event) == ["on_prompt_start", "on_prompt_end"])
    }

    @Test func withConfigAppliesTagsMetadataAndRunName() async throws {
        let recorder = RecordingCallbackHandler()
        let named = upper.withConfig(.init(tags: ["bound"], metadata: ["team": "core"], runName: "shout"))
        _ = try await named.invoke("x", config: .init(tags: ["call"], callbacks: [recorder]))
        let run = try #require(recorder.events.first).run
        #expect(run.name == "shout")
        #expect(Set(run.tags) == ["bound", "call"])
        #expect(run.metadata["team"] == "core")
    }

    @Test func localHandlersSeeOnlyTheirOwnRun() async throws {
        let local = RecordingCallbackHandler()
        let inherited = RecordingCallbackHandler()
        _ = try await (upper | exclaim).invoke("x", config: .init(callbacks: [inherited], localCallbacks: [local]))
        #expect(local.hookNames == ["on_chain_start", "on_chain_end"])
        #expect(inherited.runIDs.count == 3)
    }

    @Test func configurableFieldsAndAlternatives() async throws {
        let model = PrefixLLM(n: 5).configurable(.field(\.n, id: "n"))
        #expect(try await model.invoke("hello world") == "hello")
        #expect(try await model.invoke(.text("hello world"), config: .init(configurable: ["n": 2])) == "he")
        await #expect(throws: CatenaError.self) {
            try await model.invoke(.text("hello"), config: .init(configurable: ["n": "two"]))
        }

        let choice = PrefixLLM(n: 1).configurableAlternatives(
            id: "model", alternatives: ["long": PrefixLLM(n: 4).eraseToAnyRunnable()])
        #expect(try await choice.invoke("hello") == "h")
        #expect(try await choice.invoke(.text("hello"), config: .init(configurable: ["model": "long"])) == "hell")
        let error = await #expect(throws: CatenaError.self) {
            try await choice.invoke(.text("hello"), config: .init(configurable: ["model": "nope"]))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("long") == true)
    }

    @Test func listenersReceiveTheRunRecord() async throws {
        let records = Recorded<RunRecord>()
        let listened = (upper | exclaim).withListeners(
            onStart: { records.append($0) }, onEnd: { records.append($0) }, onError: { records.append($0) })
        _ = try await listened.invoke("hi", config: .init(tags: ["x"], metadata: ["m": 1]))
        let values = records.values
        #expect(values.count == 2)
        let end = try #require(values.last)
        #expect(end.name == "RunnableSequence" && end.type == .chain)
        #expect(end.inputs.as(String.self) == "hi")
        #expect(end.outputs?.as(String.self) == "HI!")
        #expect(end.tags == ["x"] && end.metadata["m"] == 1)
        #expect(end.endTime != nil && end.error == nil && end.endTime! >= end.startTime)

        let failing = RunnableLambda { (_: String) -> String in throw CatenaError(.invalidInput, "no") }
            .withListeners(onError: { records.append($0) })
        _ = try? await failing.invoke("x")
        #expect(records.values.last?.error is CatenaError)
    }
}

/// A thread-safe list for collecting values from `@Sendable` closures in tests.
final class Recorded<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])
    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
}
