import Foundation
import Catena
import CatenaTesting
import Synchronization
import Testing

@Suite struct ParallelMapTests {
    /// Two models streaming word by word, slowly enough that their chunks interleave.
    let both = RunnableParallel([
        "a": FakeChatModel(replies: ["a1 a2 a3"], delay: .milliseconds(15)),
        "b": FakeChatModel(replies: ["b1 b2 b3"], delay: .milliseconds(15)),
    ])

    @Test func streamingYieldsEachBranchsChunksKeyedByBranchAsTheyCome() async throws {
        let parts = try await both.stream(.text("hi")).collect()
        #expect(parts.allSatisfy { $0.count == 1 })
        let keys = parts.flatMap(\.keys)
        #expect(keys.count == 10)
        // Interleaved: b's chunks do not all wait until a has finished (nor the other way round).
        #expect(keys != keys.sorted() && keys != keys.sorted(by: >))
        var merged: [String: Message] = [:]
        for part in parts { merged.append(part) }
        #expect(merged.mapValues(\.text) == ["a": "a1 a2 a3", "b": "b1 b2 b3"])
    }

    @Test(arguments: [StreamEventsDelivery.live, .inline])
    func streamEventsInterleaveTheBranchesUnderTheMapRun(delivery: StreamEventsDelivery) async throws {
        let events = try await both.streamEvents(.text("hi"), delivery: delivery).collect()
        let root = try #require(events.first)
        #expect(root.event == "on_chain_start" && root.name == "RunnableParallel<a,b>")
        let models = events.filter { $0.event.hasPrefix("on_chat_model") }
        #expect(models.allSatisfy { $0.parentIDs == [root.runID] })
        #expect(Set(models.map { $0.tags.first { $0.hasPrefix("map:key:") } }) == ["map:key:a", "map:key:b"])
        // The first branch's first token arrives before the second branch ends.
        let firstOfA = try #require(
            events.firstIndex { $0.event == "on_chat_model_stream" && $0.tags.contains("map:key:a") })
        let endOfB = try #require(
            events.firstIndex { $0.event == "on_chat_model_end" && $0.tags.contains("map:key:b") })
        #expect(firstOfA < endOfB)
        // The map's own stream chunks are partial dictionaries keyed by branch, each right after its branch's token.
        let mapChunks = events.filter { $0.event == "on_chain_stream" && $0.runID == root.runID }
        #expect(mapChunks.count == 10)
        #expect(mapChunks.allSatisfy { ($0.data.chunk?.as([String: Message].self)?.count ?? 0) == 1 })
        let end = try #require(events.last)
        #expect(end.event == "on_chain_end" && end.runID == root.runID)
        #expect(end.data.output?.as([String: Message].self)?.mapValues(\.text) == ["a": "a1 a2 a3", "b": "b1 b2 b3"])
    }

    @Test func aFailingBranchFailsTheStreamAndEndsEveryRunOnce() async throws {
        let recorder = RecordingCallbackHandler()
        let failing = RunnableParallel([
            "ok": FakeChatModel(replies: ["x y z"], delay: .milliseconds(20)),
            "bad": FakeChatModel(replies: ["p q r"], failAfterChunks: 1),
        ])
        await #expect(throws: FakeModelError.self) {
            _ = try await failing.stream(.text("hi"), config: .init(callbacks: [recorder])).collect()
        }
        for id in recorder.runIDs {
            #expect(recorder.events(of: id).filter(\.endsRun).count == 1)
        }
    }

    /// Branches that record how many of them run at once, and in which order they start.
    final class Probe: Sendable {
        let inFlight = Mutex((now: 0, most: 0))
        let started = Recorded<String>()
        let limits = Recorded<Int?>()

        func branch(_ key: String) -> RunnableLambda<String, String> {
            RunnableLambda(name: key) { (text: String) in
                self.started.append(key)
                self.limits.append(RunContext.current.maxConcurrency)
                self.inFlight.withLock {
                    $0.now += 1; $0.most = max($0.most, $0.now)
                }
                try await Task.sleep(for: .milliseconds(10))
                self.inFlight.withLock { $0.now -= 1 }
                return text + key
            }
        }

        /// Branches keyed so that their written order is neither sorted nor likely the hash order.
        var map: RunnableParallel<String, String> {
            RunnableParallel(["c": branch("c"), "a": branch("a"), "d": branch("d"), "b": branch("b")])
        }
    }

    /// A runnable that streams 1, 2, 3, … for ever, counting the chunks it produced.
    struct Endless: Runnable {
        final class Count: Sendable { let value = Atomic(0) }
        let produced = Count()
        func invoke(_ input: String, context: RunContext) async throws -> Int { 0 }
        func stream(_ input: String, context: RunContext) -> RunnableStream<Int> {
            let produced = produced
            return RunnableStream(AsyncStream(unfolding: { produced.value.add(1, ordering: .relaxed).newValue }))
        }
    }

    @Test("a consumer that stops taking chunks stops the branches, instead of a buffer growing behind it")
    func streamingMapHasBackpressure() async throws {
        let endless = Endless()
        let map = RunnableParallel(["n": endless])
        var iterator = map.stream("go").makeAsyncIterator()
        for _ in 0..<3 { _ = try await iterator.next() }
        for _ in 0..<2_000 { await Task.yield() }
        // The three taken, one waiting to be sent and one being read: never thousands (it once buffered them all).
        #expect(endless.produced.value.load(ordering: .relaxed) <= 6)
        _ = try await iterator.next()
    }

    @Test func maxConcurrencyOneRunsOneBranchAtATimeInWrittenOrder() async throws {
        let probe = Probe()
        let recorder = RecordingCallbackHandler()
        let output = try await probe.map.invoke("x", config: .init(callbacks: [recorder], maxConcurrency: 1))
        #expect(output == ["a": "xa", "b": "xb", "c": "xc", "d": "xd"])
        #expect(probe.inFlight.withLock { $0.most } == 1)
        #expect(probe.started.values == ["c", "a", "d", "b"])
        // Children inherit the limit.
        #expect(probe.limits.values == [1, 1, 1, 1])
        // Traces follow the written order too.
        #expect(recorder.events.first?.run.name == "RunnableParallel<c,a,d,b>")
        let branchStarts = recorder.events.filter { $0.startsRun && $0.run.parentID != nil }.map(\.run.name)
        #expect(branchStarts == ["c", "a", "d", "b"])
    }

    @Test func maxConcurrencyLimitsAStreamingMapAndOrdersItsChunks() async throws {
        let probe = Probe()
        let parts = try await probe.map.stream("x", config: .init(maxConcurrency: 2)).collect()
        #expect(probe.inFlight.withLock { $0.most } == 2)
        #expect(Array(probe.started.values.prefix(2)).sorted() == ["a", "c"])
        #expect(parts.count == 4)

        let one = Probe()
        let serial = try await one.map.stream("x", config: .init(maxConcurrency: 1)).collect()
        #expect(serial.flatMap(\.keys) == ["c", "a", "d", "b"])
    }

    @Test func withoutALimitEveryBranchRunsAtOnce() async throws {
        let probe = Probe()
        _ = try await probe.map.invoke("x")
        #expect(probe.inFlight.withLock { $0.most } == 4)
    }

    @Test func cancellingTheConsumerEndsTheMapAndItsBranchesWithAnErrorBeforeTheConsumerGetsIt() async throws {
        let recorder = RecordingCallbackHandler()
        // A branch that notices its cancellation only after 300 ms: the consumer's error waits for its run's end.
        let slowToStop = RunnableLambda(name: "slowToStop") { (_: PromptValue) -> Message in
            await withCheckedContinuation { (resumed: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { resumed.resume() }
            }
            try Task.checkCancellation()
            return .assistant("late")
        }
        let slow = RunnableParallel<PromptValue, Message>([
            "a": AnyRunnable(FakeChatModel(replies: ["one two three four"], delay: .milliseconds(200))),
            "b": AnyRunnable(slowToStop),
        ])
        let task = Task {
            for try await _ in slow.stream(.text("hi"), config: .init(callbacks: [recorder])) {}
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(recorder.runIDs.count == 3)
        for id in recorder.runIDs {
            let endings = recorder.events(of: id).filter(\.endsRun)
            #expect(endings.count == 1)
            #expect(endings.first?.error != nil)
        }
    }
}
