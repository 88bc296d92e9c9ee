import Catena
import CatenaTesting
import Foundation
import Synchronization
import Testing

@Suite struct RunRecordTests {
    let chain =
        PromptTemplate("say {q}")
        | RunnableLambda(name: "shout") { (prompt: PromptValue) in
            try RunContext.dispatchCustomEvent("progress", data: ["done": 1])
            return PromptValue.text(prompt.string.uppercased())
        } | PrefixLLM(n: 3)

    /// Checks the tree of a `chain` run that was streamed.
    static func expectTree(_ root: RunRecord) {
        #expect(root.name == "RunnableSequence" && root.parentID == nil)
        #expect(root.children.map(\.name) == ["PromptTemplate", "shout", "CustomLLM"])
        #expect(root.children.map(\.tags) == [["seq:step:1"], ["seq:step:2"], ["seq:step:3"]])
        #expect(root.outputs?.as(String.self) == "SAY")
        #expect(root.isFinished && root.error == nil)
        for child in root.children {
            #expect(child.parentID == root.id)
            #expect(child.startTime >= root.startTime && child.endTime! <= root.endTime!)
            #expect(
                child.events.first?.name.hasSuffix("_start") == true
                    && child.events.last?.name.hasSuffix("_end") == true)
            #expect(zip(child.events, child.events.dropFirst()).allSatisfy { $0.time <= $1.time })
        }
        let shout = root.children[1]
        #expect(shout.events.map(\.name) == ["on_chain_start", "on_custom_event", "on_chain_stream", "on_chain_end"])
        let model = root.children[2]
        #expect(model.inputs.json == ["prompts": ["SAY HI"]])
        #expect(
            model.events.map(\.name) == ["on_llm_start"] + Array(repeating: "on_llm_new_token", count: 3) + [
                "on_llm_end"
            ])
        #expect(model.tokenCount == 3)
        let tokens = model.events.compactMap { if case .llmNewToken(let token, _) = $0.payload { token } else { nil } }
        #expect(tokens.joined() == "SAY")
    }

    /// A model whose tokens end with an empty one, as a stream's last chunk (finish reason, usage) reports.
    struct TrailingEmptyTokenLLM: LLM {
        var llmType: String { "test" }
        func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
            for token in ["a", "b", ""] { try runManager.onNewToken(token) }
            return "ab"
        }
    }

    @Test func onlyTokensWithTextAreCounted() async throws {
        let collector = RunCollector()
        _ = try await TrailingEmptyTokenLLM().invoke("hi", config: .init(callbacks: [collector]))
        let run = try #require(collector.roots.first)
        #expect(run.events.filter { $0.name == "on_llm_new_token" }.count == 3)
        #expect(run.tokenCount == 2)
    }

    @Test func aCollectorGivesTheWholeTreeFromTheRoot() async throws {
        let collector = RunCollector()
        _ = try await chain.stream(["q": "hi"], config: .init(callbacks: [collector])).collect()
        #expect(collector.roots.count == 1)
        Self.expectTree(try #require(collector.roots.first))
        #expect(collector.runs.count == 4)
        collector.forgetTree(of: collector.roots[0].id)
        #expect(collector.runs.isEmpty)
    }

    @Test func listenersGetTheTreeOfTheirRunAtTheEnd() async throws {
        let ended = Mutex<[RunRecord]>([])
        let started = Mutex<[String]>([])
        let listened = chain.withListeners(
            onStart: { run in started.withLock { $0.append(run.name) } },
            onEnd: { run in ended.withLock { $0.append(run) } })
        _ = try await listened.stream(["q": "hi"]).collect()
        #expect(started.withLock { $0 } == ["RunnableSequence"])
        let records = ended.withLock { $0 }
        #expect(records.count == 1)
        Self.expectTree(try #require(records.first))
    }

    @Test func aFailedRunKeepsItsErrorAndItsRetriesInOrder() async throws {
        let attempts = Mutex(0)
        let flaky = RunnableLambda(name: "flaky") { (text: String) -> String in
            let attempt = attempts.withLock {
                $0 += 1; return $0
            }
            throw CatenaError(.invalidInput, "attempt \(attempt)")
        }.withRetry(RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1), jitter: .zero))
        let collector = RunCollector()
        await #expect(throws: CatenaError.self) {
            _ = try await flaky.invoke("x", config: .init(callbacks: [collector]))
        }
        let root = try #require(collector.roots.first)
        #expect(root.error != nil && root.isFinished)
        #expect(root.retryCount == 2)
        #expect(root.events.map(\.name) == ["on_chain_start", "on_retry", "on_retry", "on_chain_error"])
        #expect(root.children.map(\.tags) == [[], ["retry:attempt:2"], ["retry:attempt:3"]])
        #expect(root.children.allSatisfy { $0.error != nil })
    }
}
