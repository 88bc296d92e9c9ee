import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Testing
import CatenaTestServices

/// The hooks of LiteLLM's custom-callback page, fired once per call and event (traces L01–L03).
@Suite("Logging hooks")
struct LoggingHookTests {
    @Test("L01: a call fires pre-API call, post-API call and success once each, with the payload LiteLLM gives")
    func nonStreamingCall() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let response = try await llm.completion(
            model: "gpt-3.5-turbo", messages: hi, options: .init(mockResponse: "Hello world"),
            metadata: ["hello": "world"])
        #expect(response.text == "Hello world")
        #expect(response.choices.first?.finishReason == "stop")
        await llm.flush()
        #expect(recorder.hooks == ["pre", "post", "success"])
        let pre = try #require(recorder.payloads("pre").first)
        #expect(pre.model == "gpt-3.5-turbo")
        #expect(pre.provider == "openai")
        #expect(pre.messages == hi)
        #expect(pre.metadata == ["hello": "world"])
        #expect(pre.status == .pending)
        #expect(pre.responseCost == nil)
        #expect(pre.callType == .completion)
        let success = try #require(recorder.payloads("success").first)
        #expect(success.callID == pre.callID)
        #expect(success.status == .success)
        #expect(success.usage == WireUsage(promptTokens: 10, completionTokens: 20, totalTokens: 30))
        // 10 × $0.5/M + 20 × $1.5/M, as LiteLLM reports for gpt-3.5-turbo.
        #expect(abs((success.responseCost ?? 0) - 3.5e-05) < 1e-12)
        #expect(success.cacheHit == nil)
        #expect(success.response?.text == "Hello world")
        #expect(success.endTime != nil)
        try await llm.shutdown()
    }

    @Test(
        "L02/L03: a stream fires one stream event per chunk, then post-API call and success once, with the assembled response"
    )
    func streamingCall() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        var text = ""
        var chunks = 0
        for try await chunk in llm.streamingCompletion(
            model: "gpt-3.5-turbo", messages: hi, options: .init(mockResponse: "Hello world"),
            metadata: ["hello": "world"])
        {
            text += chunk.text
            chunks += 1
        }
        #expect(text == "Hello world")
        await llm.flush()
        #expect(recorder.hooks == ["pre"] + Array(repeating: "chunk", count: chunks) + ["post", "success"])
        #expect(recorder.recorded.compactMap(\.chunk).map(\.text).joined() == "Hello world")
        let success = try #require(recorder.payloads("success").first)
        #expect(success.callType == .streamingCompletion)
        #expect(success.stream)
        #expect(success.completeStreamingResponse?.text == "Hello world")
        #expect(success.completeStreamingResponse?.choices.first?.finishReason == "stop")
        // As LiteLLM counts a mocked stream: 8 prompt tokens for "Hi", 2 for "Hello world", $0.000007.
        #expect(success.usage?.promptTokens == 8 && success.usage?.completionTokens == 2)
        #expect(abs((success.responseCost ?? 0) - 7e-06) < 1e-12)
        #expect(success.firstTokenTime != nil)
        try await llm.shutdown()
    }

    @Test("closure callbacks for input, success and failure, registered globally and per call")
    func closureCallbacks() async throws {
        let seen = RecordingLogger()
        let callbacks = CompletionCallbacks(
            input: { try await seen.logPreAPICall($0) }, success: { try await seen.logSuccess($0) },
            failure: { try await seen.logFailure($0) })
        let perCall = RecordingLogger()
        let llm = makeClient()
        llm.register(callbacks)
        _ = try await llm.completion(
            model: "gpt-4o", messages: hi, options: .init(loggers: [perCall], mockResponse: "ok"))
        await #expect(throws: CompletionError.self) {
            try await llm.completion(model: "nowhere/model", messages: hi)
        }
        await llm.flush()
        #expect(seen.hooks == ["pre", "success", "failure"])
        #expect(perCall.hooks == ["pre", "post", "success"])
        try await llm.shutdown()
    }

    @Test("an unknown provider or bare model fails clearly, and the failure is logged once without an API call")
    func unknownProviderAndModel() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        do {
            _ = try await llm.completion(model: "nowhere/model", messages: hi)
            Issue.record("expected an error")
        } catch let error as CompletionError {
            #expect("\(error)".contains("unknown provider 'nowhere'"))
            #expect("\(error)".contains("hosted_vllm, openai"))
        }
        // A provider Catena ships outside the completion layer says what to register.
        let standard = CompletionClient(providers: .standard(environment: [:]))
        await #expect {
            try await standard.completion(model: "anthropic/claude", messages: hi)
        } throws: { error in
            "\(error)".contains("register ModelServerProvider.anthropic() from CatenaAnthropic")
        }
        try await standard.shutdown()
        do {
            _ = try await llm.completion(model: "my-model", messages: hi)
            Issue.record("expected an error")
        } catch let error as CompletionError {
            #expect("\(error)".contains("'hosted_vllm/my-model'"))
        }
        do {
            _ = try await llm.completion(model: "hosted_vllm/x", messages: hi)
            Issue.record("expected an error")
        } catch let error as CompletionError {
            #expect("\(error)".contains("HOSTED_VLLM_API_BASE"))
        }
        await llm.flush()
        #expect(recorder.hooks == ["failure", "failure", "failure"])
        #expect(recorder.payloads("failure").first?.error?.type == "CompletionError.unknownProvider")
        try await llm.shutdown()
    }

    @Test("a throwing hook is logged and isolated: the other loggers and later hooks get every event")
    func throwingHook() async throws {
        let failing = RecordingLogger(failingHooks: ["pre", "success"])
        let healthy = RecordingLogger()
        let llm = makeClient(loggers: [failing, healthy])
        for _ in 0..<3 {
            _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "ok"))
        }
        await llm.flush()
        #expect(failing.hooks == Array(repeating: ["pre", "post", "success"], count: 3).flatMap { $0 })
        #expect(healthy.hooks == failing.hooks)
        #expect(llm.logStatistics.hookFailures == 6)
        #expect(llm.logStatistics.delivered == 9)
        try await llm.shutdown()
    }

    @Test("a slow logger applies backpressure instead of dropping: every event of 40 concurrent calls arrives")
    func backpressure() async throws {
        let slow = RecordingLogger(delay: .milliseconds(1))
        let llm = makeClient(loggers: [slow], logBufferCapacity: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "ok"))
                }
            }
            try await group.waitForAll()
        }
        await llm.flush()
        #expect(slow.hooks.count == 120)
        let statistics = llm.logStatistics
        #expect(statistics.submitted == 120)
        #expect(statistics.delivered == 120)
        #expect(statistics.backpressureWaits > 0)
        // Per call, the events arrive in order.
        let byCall = Dictionary(grouping: slow.recorded, by: \.payload.callID).mapValues { $0.map(\.hook) }
        #expect(byCall.count == 40)
        #expect(byCall.values.allSatisfy { $0 == ["pre", "post", "success"] })
        try await llm.shutdown()
    }

    @Test("a stream abandoned before its end logs one failure; flush waits for it")
    func abandonedStream() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        for try await _ in llm.streamingCompletion(
            model: "gpt-4o", messages: hi, options: .init(mockResponse: "Hello world"))
        {
            break
        }
        // The failure is queued from the stream's deinit; give that task a moment before flushing.
        for _ in 0..<100 where !recorder.hooks.contains("failure") {
            await llm.flush()
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(recorder.hooks == ["pre", "chunk", "failure"])
        #expect(recorder.payloads("failure").first?.error?.type == "CancellationError")
        #expect(recorder.payloads("failure").first?.completeStreamingResponse?.text == "Hel")
        try await llm.shutdown()
    }

    @Test("shutdown delivers every queued event")
    func shutdownDelivers() async throws {
        let slow = RecordingLogger(delay: .milliseconds(2))
        let llm = makeClient(loggers: [slow])
        for _ in 0..<10 {
            _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "ok"))
        }
        try await llm.shutdown()
        #expect(slow.hooks.count == 30)
    }
}
