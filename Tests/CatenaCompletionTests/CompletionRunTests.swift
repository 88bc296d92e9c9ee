import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTesting
import Foundation
import Testing
import CatenaTestServices

/// A `completion()` call is a chat model run: run handlers see it, it joins the run in progress, and its logger
/// hooks come from the same events.
@Suite("A completion call is a model run")
struct CompletionRunTests {
    @Test("run handlers get the call's events: start, the exact request body, the response, the end with usage")
    func runHandlersSeeTheCall() async throws {
        let recorder = RecordingCallbackHandler()
        let totals = UsageTotals()
        let logger = RecordingLogger()
        let llm = makeClient(loggers: [logger])
        _ = try await llm.completion(
            model: "gpt-4o", messages: hi, options: .init(callbacks: [recorder, totals], mockResponse: "Hello"))
        #expect(recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_response", "on_llm_end"])
        guard case .llmRequest(let body) = recorder.events[1].payload else { Issue.record("no request event"); return }
        await llm.flush()
        // The loggers' pre-API call shows the same body the run reported.
        #expect(logger.payloads("pre").first?.requestBody == String(decoding: body, as: UTF8.self))
        #expect(recorder.events[0].run.type == .chatModel)
        #expect(recorder.events[0].run.name == "gpt-4o")
        #expect(totals.total.inputTokens == 10)
        #expect(totals.total.outputTokens == 20)
        try await llm.shutdown()
    }

    @Test("inside a chain, the call is a child of the run in progress; a failing call ends its run with the error")
    func callInsideAChainIsAChildRun() async throws {
        let collector = RunCollector()
        let llm = makeClient()
        let chain = RunnableLambda(name: "ask") { (question: String) in
            try await llm.completion(
                model: "gpt-4o", messages: [.user(question)], options: .init(mockResponse: "Paris")
            ).text
        }
        #expect(try await chain.invoke("capital?", config: .init(callbacks: [collector])) == "Paris")
        let root = try #require(collector.roots.first)
        #expect(root.run.name == "ask")
        #expect(root.children.map(\.run.name) == ["gpt-4o"])
        #expect(root.children.first?.run.type == .chatModel)

        let failing = RunnableLambda(name: "ask") { (question: String) in
            try await llm.completion(
                model: "gpt-4o", messages: [.user(question)],
                options: .init(mockResponse: .failure(CompletionTestError()))
            ).text
        }
        collector.reset()
        await #expect(throws: CompletionTestError.self) {
            try await failing.invoke("q", config: .init(callbacks: [collector]))
        }
        let call = try #require(collector.roots.first?.children.first)
        #expect(call.error != nil)
        #expect(call.events.map(\.name) == ["on_chat_model_start", "on_llm_request", "on_llm_error"])
        try await llm.shutdown()
    }

    @Test("a streamed call reports each chunk as a token and ends with the merged answer")
    func streamedCallReportsTokens() async throws {
        let recorder = RecordingCallbackHandler()
        let llm = makeClient()
        let chunks = try await llm.streamingCompletion(
            model: "gpt-4o", messages: hi, options: .init(callbacks: [recorder], mockResponse: "Hello world")
        ).collect()
        let tokens = recorder.events.compactMap { event -> String? in
            if case .llmNewToken(let token, _) = event.payload { token } else { nil }
        }
        #expect(tokens == chunks.map(\.text))
        #expect(chunks.first?.choices.first?.delta?.role == "assistant")
        guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
        #expect(result.generations.first?.first?.text == "Hello world")
        #expect(result.generations.first?.first?.message?.usage?.totalTokens == 10)  // 8 prompt tokens, 2 generated
        try await llm.shutdown()
    }

    @Test("a hook delivered after its call ended still sees the payload as it stood at its event")
    func lateDeliverySeesThePayloadAsItStood() async throws {
        let slow = RecordingLogger(delay: .milliseconds(20))
        let llm = makeClient(loggers: [slow])
        _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "Hello"))
        await llm.flush()
        let pre = try #require(slow.payloads("pre").first)
        #expect(pre.status == .pending)
        #expect(pre.response == nil)
        #expect(pre.endTime == nil)
        #expect(pre.requestBody?.contains("\"gpt-4o\"") == true)
        let post = try #require(slow.payloads("post").first)
        #expect(post.response == nil)
        #expect(post.firstTokenTime != nil)
        let success = try #require(slow.payloads("success").first)
        #expect(success.response?.text == "Hello")
        #expect(success.usage?.totalTokens == 30)
        try await llm.shutdown()
    }
}

/// A failure the tests raise on purpose.
struct CompletionTestError: Error {}
