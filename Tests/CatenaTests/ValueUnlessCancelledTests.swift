import Catena
import Testing

/// Waiting for a task shared by many callers: a caller that is cancelled stops waiting at once, and the task runs on
/// for the others.
struct ValueUnlessCancelledTests {
    @Test func aCancelledWaiterStopsWaitingAndTheTaskRunsOnForTheOthers() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let shared = Task<Int, any Error> {
            for await _ in gate { break }
            try Task.checkCancellation()
            return 7
        }
        let waiter = Task { try await valueUnlessCancelled(of: shared) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!shared.isCancelled)
        open.yield()
        #expect(try await valueUnlessCancelled(of: shared) == 7)
    }

    @Test func theTasksErrorReachesTheWaiter() async throws {
        struct Failed: Error {}
        let shared = Task<Int, any Error> { throw Failed() }
        await #expect(throws: Failed.self) { try await valueUnlessCancelled(of: shared) }
    }
}
