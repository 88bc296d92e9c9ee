import Catena
import CatenaTesting
import Testing

@Suite struct ModelTests {
    /// A text model that returns a fixed text and streams it in fixed pieces, counting calls.
    struct Scripted: LLM {
        var text: String
        var pieces: [String]
        let calls = Recorded<String>()
        var cache: (any ResponseCache)?
        var rateLimiter: (any RateLimiter)?
        var stopSequenceHandling: StopSequenceHandling = .exclude
        var llmType: String { "scripted" }
        func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
            calls.append(prompt)
            return text
        }
        func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>? {
            .of(pieces.map { Generation(text: $0) })
        }
    }

    /// A chat model that records whether its body got the no-op run manager, and answers with `generations`.
    struct ManagerProbe: ChatModel {
        var generations: [Generation] = [Generation(message: .assistant("ok"))]
        let gotNoop = Recorded<Bool>()
        var cache: (any ResponseCache)?
        var llmType: String { "probe" }
        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            gotNoop.append(runManager.run === LLMRunManager.noop.run)
            return ChatResult(generations: generations)
        }
    }

    @Test func aCallNoHandlerObservesRunsTheBodyAloneAndAnObservedOneIsReported() async throws {
        let model = ManagerProbe()
        let recorder = RecordingCallbackHandler()
        #expect(try await model.invoke("x").text == "ok")
        #expect(try await model.invoke("x", config: .init(callbacks: [recorder])).text == "ok")
        #expect(model.gotNoop.values == [true, false])
        #expect(recorder.hookNames == ["on_chat_model_start", "on_llm_end"])
    }

    @Test func aModelWithoutAGenerationFailsClearlyObservedOrNot() async throws {
        let model = ManagerProbe(generations: [])
        for config in [RunnableConfig(), RunnableConfig(callbacks: [RecordingCallbackHandler()])] {
            let error = await #expect(throws: CatenaError.self) { try await model.invoke("x", config: config) }
            #expect(error?.code == .emptyOutput)
        }
        #expect(model.gotNoop.values == [true, false])
    }

    @Test func stopSequencesCutInvokeOutput() async throws {
        let model = Scripted(text: "one\ntwo\nthree", pieces: [])
        #expect(try await model.bind(stop: ["\n"]).invoke(.text("x")) == "one")
        var including = model
        including.stopSequenceHandling = .include
        #expect(try await including.bind(stop: ["two"]).invoke(.text("x")) == "one\ntwo")
    }

    @Test func stopSequencesSpanningChunksCutTheStream() async throws {
        let model = Scripted(text: "", pieces: ["Hello, wo", "rld! ST", "OP and more"])
        let recorder = RecordingCallbackHandler()
        let chunks = try await model.bind(stop: ["STOP"]).stream(.text("x"), config: .init(callbacks: [recorder]))
            .collect()
        #expect(chunks.joined() == "Hello, world! ")
        #expect(
            recorder.events.compactMap { if case .llmNewToken(let token, _) = $0.payload { token } else { nil } }
                .joined()
                == "Hello, world! ")
        let start = try #require(recorder.events.first)
        guard case .llmStart(_, let parameters) = start.payload else { return }
        #expect(parameters["stop"] == ["STOP"])
    }

    @Test func stopFilterHoldsBackPossiblePrefixes() async throws {
        let model = Scripted(text: "", pieces: ["ab", "c", "d"])
        // "abc" might start "abcX"; once "d" arrives it is not a stop sequence and everything flows.
        #expect(try await model.bind(stop: ["abcX"]).stream(.text("x")).collect().joined() == "abcd")
    }

    /// A limiter that lets every call through, counting them.
    final class CountingLimiter: RateLimiter {
        let calls = Recorded<Int>()
        func acquire() async throws { calls.append(calls.values.count + 1) }
    }

    @Test func cacheAnswersRepeatsWithoutCallingTheModelOrTheLimiter() async throws {
        let cache = InMemoryResponseCache()
        let limiter = CountingLimiter()
        var model = Scripted(text: "cached answer", pieces: ["cached", " answer"])
        model.cache = cache
        model.rateLimiter = limiter
        #expect(try await model.invoke("q") == "cached answer")
        let recorder = RecordingCallbackHandler()
        #expect(try await model.invoke("q", config: .init(callbacks: [recorder])) == "cached answer")
        #expect(recorder.hookNames == ["on_llm_start", "on_cache_hit", "on_llm_end"])
        #expect(model.calls.values == ["q"])
        #expect(try await model.stream("q").collect() == ["cached answer"])
        #expect(model.calls.values == ["q"])
        #expect(limiter.calls.values.count == 1)
        #expect(try await model.invoke("other") == "cached answer")
        #expect(model.calls.values == ["q", "other"])
        #expect(limiter.calls.values.count == 2)
        #expect(cache.count == 2)
    }

    @Test("a conversation that cannot be encoded is neither answered from the cache nor filed in it")
    func unencodablePromptsBypassTheCache() async throws {
        let cache = InMemoryResponseCache()
        var model = ManagerProbe()
        model.cache = cache
        // NaN has no JSON form: both prompts once shared the empty cache key, so the second got the first's answer.
        var first = Message.user("first"), second = Message.user("second")
        first.responseMetadata = ["score": .double(.nan)]
        second.responseMetadata = ["score": .double(.nan)]
        let recorder = RecordingCallbackHandler()
        _ = try await model.invoke([first], config: .init(callbacks: [recorder]))
        _ = try await model.invoke([second])
        #expect(model.gotNoop.values.count == 2)
        #expect(cache.count == 0)
        #expect(recorder.hookNames == ["on_chat_model_start", "on_cache_miss", "on_llm_end"])
    }

    @Test func streamedResponsesFillTheCache() async throws {
        let cache = InMemoryResponseCache()
        var model = Scripted(text: "unused", pieces: ["a", "b"])
        model.cache = cache
        #expect(try await model.stream("q").collect() == ["a", "b"])
        #expect(try await model.invoke("q") == "ab")
        #expect(model.calls.values.isEmpty)
    }

    @Test("calls at 50 per second go through 20 ms apart on the limiter's clock, the bucket starting empty")
    func rateLimiterSpacesCalls() async throws {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter(requestsPerSecond: 50, checkEvery: .milliseconds(2), clock: clock)
        let acquired = Recorded<Duration>()
        let calls = Task {
            for _ in 0..<5 {
                try await limiter.acquire()
                acquired.append(clock.now.offset)
            }
        }
        while acquired.values.count < 5 {
            // The limiter is waiting for its next check (or has just taken the last token): then time moves on.
            while clock.sleeping == 0 && acquired.values.count < 5 { await Task.yield() }
            if acquired.values.count < 5 { clock.advance(by: .milliseconds(2)) }
        }
        try await calls.value
        // A token accrues every 20 ms; the 2 ms checks add at most one step (ten tenths of a token may sum to just
        // under one).
        for (index, time) in acquired.values.enumerated() {
            let interval = time - (index == 0 ? .zero : acquired.values[index - 1])
            #expect(interval >= .milliseconds(20) && interval <= .milliseconds(22), "call \(index + 1) at \(time)")
        }
    }

    /// A chat model that streams the given chunks as they are.
    struct ScriptedChat: ChatModel {
        let chunks: [Message]
        var llmType: String { "scripted-chat" }
        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            ChatResult(message: .assistant("x"))
        }
        func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
            Message
        >? {
            .of(chunks)
        }
    }

    @Test func chatModelStreamsMergeableChunksAndUsage() async throws {
        let usaged = ScriptedChat(chunks: [
            Message(
                role: .assistant, content: "Hel",
                toolCalls: [ToolCall(index: 0, id: "c1", name: "f", arguments: "{\"a\"")]),
            Message(
                role: .assistant, content: "lo", toolCalls: [ToolCall(index: 0, id: "c1", name: "f", arguments: ":1}")]),
            Message(role: .assistant, content: "", usage: Usage(inputTokens: 3, outputTokens: 2)),
        ])
        let recorder = RecordingCallbackHandler()
        let merged = try await usaged.stream("x", config: .init(callbacks: [recorder])).aggregate()
        #expect(merged.text == "Hello")
        #expect(merged.toolCalls == [ToolCall(index: 0, id: "c1", name: "f", arguments: "{\"a\":1}")])
        #expect(try merged.toolCalls[0].parsedArguments() == ["a": 1])
        #expect(merged.usage == Usage(inputTokens: 3, outputTokens: 2))
        guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
        #expect(result.usage == Usage(inputTokens: 3, outputTokens: 2))
    }

    @Test func streamEndReportsEveryChunkMergedInOrder() async throws {
        let textChunks: [Message] = [
            .assistant("a"), .assistant("b"),
            Message(role: .assistant, content: "", usage: Usage(inputTokens: 1, outputTokens: 2)),
            .assistant("c"), Message(role: .assistant, content: "d", id: "m"), .assistant("e"),
        ]
        let partChunks: [Message] = [
            Message(role: .assistant, content: .parts([.text("x")])), .assistant("y"), .assistant("z"),
        ]
        for chunks in [textChunks, partChunks] {
            let recorder = RecordingCallbackHandler()
            _ = try await ScriptedChat(chunks: chunks).stream("q", config: .init(callbacks: [recorder])).collect()
            guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
            // What merging the chunks one by one gives.
            let expected = chunks.dropFirst().reduce(chunks[0], +)
            #expect(result.generations.first?.first?.message == expected)
        }
    }

    @Test func disabledStreamingFallsBackToInvoke() async throws {
        struct NoStream: ChatModel {
            var llmType: String { "nostream" }
            var disablesStreaming: Bool { true }
            func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult
            {
                ChatResult(message: .assistant("all at once"))
            }
            func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
                Message
            >? {
                .of([.assistant("never")])
            }
        }
        #expect(try await NoStream().stream("x").collect().map(\.text) == ["all at once"])
    }

    @Test func runnablesInvokedInAModelOrToolBodyAttachToThatRun() async throws {
        /// Answers with two nested model calls that pass no context.
        struct Delegating: LLM {
            var llmType: String { "delegating" }
            func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
                let first = try await PrefixLLM(n: 1).invoke(prompt)
                return try await first + PrefixLLM(n: 2).invoke(prompt)
            }
        }
        let tool = FunctionTool(name: "ask", description: "asks the model", parameters: ["type": "string"]) {
            (question: String) in try await Delegating().invoke(question)
        }
        let (recorder, local) = (RecordingCallbackHandler(), RecordingCallbackHandler())
        let config = RunnableConfig(tags: ["outer"], callbacks: [recorder], localCallbacks: [local])
        #expect(try await tool.invoke("abc", config: config) == "aab")
        #expect(local.hookNames == ["on_tool_start", "on_tool_end"])

        let starts = recorder.events.filter { $0.hookName.hasSuffix("_start") }
        #expect(starts.map(\.hookName) == ["on_tool_start", "on_llm_start", "on_llm_start", "on_llm_start"])
        let (toolRun, modelRun) = (starts[0].run, starts[1].run)
        #expect(modelRun.parentID == toolRun.id)
        #expect(starts[2...].map(\.run.parentID) == [modelRun.id, modelRun.id])
        #expect(Set(starts.map(\.run.id)).count == 4)
        #expect(starts.allSatisfy { $0.run.tags == ["outer"] })
    }

    @Test func streamingModelReportsPerChunkWorkThroughItsRunManagerAndCapturedContext() async throws {
        /// Streams two chunks; producing each reports a custom event through the run manager and runs a nested
        /// model with the context captured when the stream was made.
        struct Reporting: ChatModel {
            var llmType: String { "reporting" }
            func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult
            {
                ChatResult(message: .assistant("x"))
            }
            func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
                Message
            >? {
                let context = RunContext.current
                return RunnableStream(makeNext: {
                    var produced = 0
                    return { () async throws -> Message? in
                        guard produced < 2 else { return nil }
                        produced += 1
                        try runManager.onCustomEvent("chunk", data: .int(produced))
                        let nested = try await context.makeCurrent { try await PrefixLLM(n: 1).invoke("ab") }
                        return .assistant(nested)
                    }
                })
            }
        }
        let recorder = RecordingCallbackHandler()
        let chunks = try await Reporting().stream("x", config: .init(callbacks: [recorder])).collect()
        #expect(chunks.map(\.text) == ["a", "a"])
        let modelRun = try #require(recorder.events.first { $0.hookName == "on_chat_model_start" }).run
        let custom = recorder.events.filter { $0.hookName == "on_custom_event" }
        #expect(custom.map(\.run.id) == [modelRun.id, modelRun.id])
        let nested = recorder.events.filter { $0.hookName == "on_llm_start" }
        #expect(nested.map(\.run.parentID) == [modelRun.id, modelRun.id])
        #expect(recorder.events.last?.hookName == "on_llm_end")
        #expect(recorder.events.last?.run.id == modelRun.id)
    }
}
