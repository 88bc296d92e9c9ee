import Foundation
import Catena
import CatenaTesting
import Synchronization
import Testing

/// Bad input and faults: each gets a clear error, exactly one end-or-error per run, no lost event.
@Suite struct FaultTests {
    /// Ends and errors per run in `events`: every run must have exactly one.
    static func endingsPerRun(_ events: [CallbackEvent]) -> [Int] {
        var counts: [UUID: Int] = [:]
        for event in events { counts[event.run.id, default: 0] += event.endsRun ? 1 : 0 }
        return Array(counts.values)
    }

    @Test func modelFailingMidStreamReportsThePartialOutput() async throws {
        let recorder = RecordingCallbackHandler()
        let chain =
            ChatPromptTemplate([.user("{q}")]) | FakeChatModel(replies: ["one two three"], failAfterChunks: 3)
            | StringOutputParser()
        var received = ""
        await #expect(throws: FakeModelError.self) {
            for try await chunk in chain.stream(["q": "x"], config: .init(callbacks: [recorder])) { received += chunk }
        }
        #expect(received == "one two")
        let error = try #require(recorder.events.first { $0.hookName == "on_llm_error" })
        guard case .llmError(_, let partial) = error.payload else { return }
        #expect(partial.generations.first?.first?.text == "one two")
        #expect(Self.endingsPerRun(recorder.events).allSatisfy { $0 == 1 })
        #expect(recorder.hookNames.last == "on_chain_error")
    }

    @Test func throwingHandlerIsIsolatedByDefault() async throws {
        let failing = RecordingCallbackHandler { _ in throw CatenaError(.invalidInput, "handler broke") }
        let healthy = RecordingCallbackHandler()
        let output = try await PrefixLLM(n: 3).invoke("hello", config: .init(callbacks: [failing, healthy]))
        #expect(output == "hel")
        #expect(healthy.hookNames == ["on_llm_start", "on_llm_end"])
        #expect(failing.hookNames == ["on_llm_start", "on_llm_end"])
    }

    @Test func throwingHandlerThatRaisesFailsTheRunOnce() async throws {
        let raising = RecordingCallbackHandler(raisesErrors: true) { event in
            if event.hookName == "on_llm_new_token" { throw CatenaError(.invalidInput, "stop streaming") }
        }
        let error = await #expect(throws: CatenaError.self) {
            try await PrefixLLM(n: 3).stream("hello", config: .init(callbacks: [raising])).collect()
        }
        #expect(error?.message == "stop streaming")
        #expect(raising.hookNames == ["on_llm_start", "on_llm_new_token", "on_llm_error"])
    }

    @Test func cancellingAStreamEndsTheRunWithOneError() async throws {
        let recorder = RecordingCallbackHandler()
        let slow = FakeChatModel(
            replies: [Array(repeating: "tok", count: 200).joined(separator: " ")], delay: .milliseconds(5))
        let started = Recorded<Int>()
        let task = Task {
            for try await _ in slow.stream("x", config: .init(callbacks: [recorder])) { started.append(1) }
        }
        while started.values.count < 3 { try await Task.sleep(for: .milliseconds(2)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(recorder.hookNames.first == "on_chat_model_start")
        #expect(recorder.hookNames.last == "on_llm_error")
        #expect(recorder.hookNames.filter { $0 == "on_llm_error" || $0 == "on_llm_end" }.count == 1)
    }

    @Test func abandoningAStreamEndsTheRunWithOneError() async throws {
        let recorder = RecordingCallbackHandler()
        for try await _ in PrefixLLM(n: 5).stream("hello", config: .init(callbacks: [recorder])) { break }
        #expect(recorder.hookNames == ["on_llm_start", "on_llm_new_token", "on_llm_error"])
        guard case .llmError(let error, let partial) = recorder.events.last?.payload else { return }
        #expect(error is CancellationError)
        #expect(partial.generations.first?.first?.text == "h")
    }

    @Test func cancellingStreamEventsCancelsTheRun() async throws {
        let recorder = RecordingCallbackHandler()
        let slow = FakeChatModel(
            replies: [Array(repeating: "tok", count: 500).joined(separator: " ")], delay: .milliseconds(2))
        for try await event in slow.streamEvents("x", config: .init(callbacks: [recorder]))
        where event.event == "on_chat_model_stream" {
            break
        }
        // The run is cancelled in the background; wait for its single error.
        for _ in 0..<200 where !recorder.hookNames.contains("on_llm_error") {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(recorder.hookNames.filter { $0 == "on_llm_error" || $0 == "on_llm_end" } == ["on_llm_error"])
    }

    @Test func thousandConcurrentInvokesBalanceWithCorrectParents() async throws {
        let recorder = RecordingCallbackHandler()
        let chain = PromptTemplate("{q}") | PrefixLLM(n: 3)
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    try await chain.invoke(["q": .text("q\(index)")], config: .init(callbacks: [recorder]))
                }
            }
            var outputs = 0
            for try await output in group where output.hasPrefix("q") { outputs += 1 }
            #expect(outputs == 1000)
        }
        let events = recorder.events
        #expect(events.filter { $0.hookName.hasSuffix("_start") }.count == 3000)
        #expect(Self.endingsPerRun(events).count == 3000)
        #expect(Self.endingsPerRun(events).allSatisfy { $0 == 1 })
        let roots = Set(events.filter { $0.run.parentID == nil }.map(\.run.id))
        #expect(roots.count == 1000)
        let children = events.filter { $0.run.parentID != nil }
        #expect(children.allSatisfy { roots.contains($0.run.parentID!) })
        // Each root has exactly one prompt child and one model child.
        var perRoot: [UUID: Set<RunType>] = [:]
        for event in children where event.hookName.hasSuffix("_start") {
            perRoot[event.run.parentID!, default: []].insert(event.run.type)
        }
        #expect(perRoot.values.allSatisfy { $0 == [.prompt, .llm] })
    }

    @Test func missingTemplateVariableNamesIt() async throws {
        let error = await #expect(throws: CatenaError.self) {
            try await ChatPromptTemplate([.user("{question} in {language}")]).invoke(["question": "why"])
        }
        #expect(error?.code == .missingVariable)
        #expect(error?.message.contains("'language'") == true)
    }
}
