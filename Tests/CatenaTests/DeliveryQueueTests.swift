import Catena
import CatenaTestServices
import Testing

/// The delivery queue's backpressure lets a cancelled caller go.
@Suite struct DeliveryQueueTests {
    /// A queue with room for one job, holding one its consumer keeps until the gate opens.
    static func fullQueue() -> (DeliveryQueue<Int>, consumer: AsyncGate) {
        let consumer = AsyncGate()
        let queue = DeliveryQueue<Int>(capacity: 1) { _ in
            await consumer.wait()
            return 0
        }
        queue.enqueue(1)
        return (queue, consumer)
    }

    @Test(
        "a caller waiting for room in a full queue returns when its task is cancelled, and the others keep their turn")
    func cancelledWaitForRoomReturns() async throws {
        let (queue, consumer) = Self.fullQueue()
        #expect(!queue.hasRoom)
        let cancelled = Task { await queue.waitForRoom() }
        let patient = Task {
            await queue.waitForRoom()
            return queue.statistics.delivered
        }
        while queue.statistics.backpressureWaits < 2 { await Task.yield() }
        cancelled.cancel()
        await cancelled.value  // without cancellation support this waited for the consumer, which never moves on
        consumer.open()
        #expect(await patient.value == 1)
        await queue.shutdown()
    }

    @Test("a caller whose task is cancelled before it waits does not wait")
    func alreadyCancelledDoesNotWait() async throws {
        let (queue, consumer) = Self.fullQueue()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await queue.waitForRoom()
        }
        await task.value
        #expect(queue.statistics.delivered == 0)
        consumer.open()
        await queue.shutdown()
    }
}
