import Catena
import CatenaTesting
import Testing

@Suite struct RetryAndFallbackTests {
    @Test func retryTagsAttemptsReportsEachRetryAndBacksOffExponentially() async throws {
        let recorder = RecordingCallbackHandler()
        let delays = Recorded<Duration>()
        let flaky = Flaky(failures: 2)
        let output = try await flaky.withRetry(instantPolicy(maxAttempts: 3, delays: delays))
            .invoke("ok", config: .init(callbacks: [recorder]))
        #expect(output == "ok")
        #expect(flaky.callCount == 3)
        #expect(delays.values == [.milliseconds(100), .milliseconds(200)])
        let retries = recorder.events.filter { $0.hookName == "on_retry" }
        #expect(retries.count == 2)
        let root = try #require(recorder.events.first).run
        #expect(retries.allSatisfy { $0.run.id == root.id })
        let attempts = recorder.events.filter { $0.hookName == "on_chain_start" && $0.run.parentID == root.id }
        #expect(attempts.map(\.run.tags) == [[], ["retry:attempt:2"], ["retry:attempt:3"]])
        #expect(recorder.events.last?.hookName == "on_chain_end")
    }

    @Test func retryGivesUpAfterMaxAttemptsWithTheLastError() async throws {
        let flaky = Flaky(failures: 5)
        let error = await #expect(throws: Flaky.Transient.self) {
            try await flaky.withRetry(instantPolicy(maxAttempts: 2, delays: Recorded())).invoke("x")
        }
        #expect(error?.attempt == 2)
        #expect(flaky.callCount == 2)
    }

    @Test func retryHonoursThePredicate() async throws {
        let flaky = Flaky(failures: 1)
        var policy = instantPolicy(maxAttempts: 3, delays: Recorded())
        policy.shouldRetry = { _ in false }
        await #expect(throws: Flaky.Transient.self) { try await flaky.withRetry(policy).invoke("x") }
        #expect(flaky.callCount == 1)
    }

    @Test func backoffIsCappedAndJittered() {
        let policy = RetryPolicy(
            initialDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(5), jitter: .milliseconds(500))
        for attempt in 1...6 {
            let delay = policy.delay(afterAttempt: attempt)
            let base = min(Double(1 << (attempt - 1)), 5)
            #expect(delay >= .seconds(base) && delay <= .seconds(base + 0.5))
        }
    }

    /// An error asking for its own wait.
    struct SlowDown: RetryAfterError {
        let retryAfter: Duration?
    }

    @Test("an error's own wait replaces the backoff; one longer than maxDelay is not retried")
    func retryAfterErrorsSetTheWait() async throws {
        let delays = Recorded<Duration>()
        var policy = instantPolicy(maxAttempts: 4, delays: delays)
        policy.maxDelay = .seconds(30)
        let asked: [Duration?] = [.seconds(7), nil]
        let result = try await policy.run { number in
            guard number > asked.count else { throw SlowDown(retryAfter: asked[number - 1]) }
            return number
        }
        #expect(result == 3)
        #expect(delays.values == [.seconds(7), .milliseconds(200)])

        let attempts = Recorded<Int>()
        await #expect(throws: SlowDown.self) {
            try await policy.run { number in
                attempts.append(number)
                throw SlowDown(retryAfter: .seconds(31))
            }
        }
        #expect(attempts.values == [1])
    }

    @Test func retriedStreamRetriesOnlyBeforeTheFirstChunk() async throws {
        let failingEarly = FakeChatModel(replies: ["a b c"], failAfterChunks: 0)
        let recorder = RecordingCallbackHandler()
        await #expect(throws: FakeModelError.self) {
            try await failingEarly.withRetry(instantPolicy(maxAttempts: 3, delays: Recorded()))
                .stream("x", config: .init(callbacks: [recorder])).collect()
        }
        #expect(recorder.events.filter { $0.hookName == "on_retry" }.count == 2)

        let failingLate = FakeChatModel(replies: ["a b c"], failAfterChunks: 2)
        let late = RecordingCallbackHandler()
        var received: [String] = []
        let error = await #expect(throws: FakeModelError.self) {
            for try await chunk in failingLate.withRetry(instantPolicy(maxAttempts: 3, delays: Recorded()))
                .stream("x", config: .init(callbacks: [late]))
            {
                received.append(chunk.text)
            }
        }
        #expect(received == ["a", " "])
        #expect(error?.partialOutput == "a ")
        #expect(late.events.filter { $0.hookName == "on_retry" }.isEmpty)
    }

    @Test func fallbacksKeepTheirParentAndSucceed() async throws {
        let recorder = RecordingCallbackHandler()
        let primary = Flaky(failures: 1)
        let backup = RunnableLambda(name: "backup") { (text: String) in "backup:" + text }
        let output = try await primary.withFallbacks([backup.eraseToAnyRunnable()])
            .invoke("x", config: .init(callbacks: [recorder]))
        #expect(output == "backup:x")
        let root = try #require(recorder.events.first).run
        #expect(root.name == "RunnableWithFallbacks")
        let attempts = recorder.events.filter { $0.hookName == "on_chain_start" && $0.run.id != root.id }
        #expect(attempts.map(\.run.name) == ["Flaky", "backup"])
        #expect(attempts.allSatisfy { $0.run.parentID == root.id })
    }

    @Test func whenAllFallbacksFailTheFirstErrorSurfaces() async throws {
        let first = Flaky(failures: 9)
        let second = RunnableLambda { (_: String) -> String in throw CatenaError(.invalidInput, "second") }
        let error = await #expect(throws: Flaky.Transient.self) {
            try await first.withFallbacks([second.eraseToAnyRunnable()]).invoke("x")
        }
        #expect(error?.attempt == 1)
    }

    @Test func unhandledErrorsSkipTheFallbacks() async throws {
        let backup = RunnableLambda { (text: String) in text }
        await #expect(throws: Flaky.Transient.self) {
            try await Flaky(failures: 1).withFallbacks([backup.eraseToAnyRunnable()], handling: { $0 is CatenaError })
                .invoke("x")
        }
    }

    @Test func errorKeyPassesThePreviousErrorToTheFallback() async throws {
        let primary = RunnableLambda { (_: [String: JSONValue]) -> String in
            throw CatenaError(.invalidInput, "primary broke")
        }
        let backup = RunnableLambda { (input: [String: JSONValue]) in input["error"]?.stringValue ?? "none" }
        let output = try await primary.withFallbacks([backup.eraseToAnyRunnable()], errorKey: "error").invoke(["q": "x"]
        )
        #expect(output.contains("primary broke"))
    }

    @Test func fallbackStreamsFromTheFirstThatStarts() async throws {
        let broken = FakeChatModel(replies: ["never"], failAfterChunks: 0)
        let working = FakeChatModel(replies: ["fine now"])
        let chunks = try await broken.withFallbacks([working.eraseToAnyRunnable()]).stream("x").collect()
        #expect(chunks.map(\.text).joined() == "fine now")
    }
}
