import Catena
import CatenaTesting
import Synchronization
import Testing

@Suite struct BatchTests {
    /// Tracks how many calls run at once.
    final class Gauge: Sendable {
        let state = Mutex((current: 0, peak: 0))
        func enter() {
            state.withLock {
                $0.current += 1; $0.peak = max($0.peak, $0.current)
            }
        }
        func leave() { state.withLock { $0.current -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test func batchRespectsMaxConcurrencyAndKeepsOrder() async throws {
        let gauge = Gauge()
        let slow = RunnableLambda { (value: Int) in
            gauge.enter()
            defer { gauge.leave() }
            try await Task.sleep(for: .milliseconds(5))
            return value * 2
        }
        let outputs = try await slow.batch(Array(0..<20), config: .init(maxConcurrency: 3))
        #expect(outputs == (0..<20).map { $0 * 2 })
        #expect(gauge.peak == 3)
    }

    @Test func oneBadInputFailsOnlyItself() async throws {
        let recorder = RecordingCallbackHandler()
        let picky = RunnableLambda { (value: Int) -> Int in
            if value == 2 { throw CatenaError(.invalidInput, "two") }
            return value
        }
        let results = await picky.batchResults([1, 2, 3], config: .init(callbacks: [recorder]))
        #expect((try? results[0].get()) == 1)
        #expect((try? results[2].get()) == 3)
        #expect(throws: CatenaError.self) { try results[1].get() }
        #expect(recorder.hookNames.filter { $0 == "on_chain_error" }.count == 1)
        #expect(recorder.hookNames.filter { $0 == "on_chain_end" }.count == 2)
        await #expect(throws: CatenaError.self) { try await picky.batch([1, 2, 3]) }
    }

    @Test func batchAsCompletedYieldsIndicesInCompletionOrder() async throws {
        let sleepy = RunnableLambda { (millis: Int) in
            try await Task.sleep(for: .milliseconds(millis))
            return millis
        }
        var order: [Int] = []
        for try await item in sleepy.batchAsCompleted([60, 1, 30]) {
            order.append(item.index)
            #expect(try item.result.get() == [60, 1, 30][item.index])
        }
        #expect(order == [1, 2, 0])
    }
}
