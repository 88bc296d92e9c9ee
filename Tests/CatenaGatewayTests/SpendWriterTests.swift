import CatenaTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import CatenaGateway

/// The spend log is written in batches: the first entry after a write waits for others to join it, and a flush,
/// shutdown or a full batch ends that wait at once. Time is a manual clock's, so nothing here depends on the
/// machine's speed.
@Suite(.timeLimit(.minutes(1)))
struct SpendWriterTests {
    private let store: StoreOutageTests.SwitchableStore
    private let clock = ManualClock()
    private let writer: SpendWriter

    init() throws {
        store = try StoreOutageTests.SwitchableStore()
        writer = SpendWriter(
            store: store, metrics: GatewayMetrics(), gathering: .milliseconds(100), clock: clock,
            logger: Logger(label: "test"))
    }

    private static func entry(_ number: Int) -> SpendLogEntry {
        SpendLogEntry(
            requestID: "request-\(number)", keyHash: "key", teamID: nil, model: "m", promptTokens: 1,
            completionTokens: 1, spend: 0.001, startTime: Date(), endTime: Date())
    }

    /// Polls (without a time bound of its own: the suite's limit ends a test that never gets there).
    private func waitUntil(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func entriesRecordedWhileTheFirstWaitsAreWrittenWithIt() async throws {
        for number in 0..<3 { writer.record(Self.entry(number)) }
        try await waitUntil { clock.sleeping == 1 }
        for number in 3..<5 { writer.record(Self.entry(number)) }
        #expect(store.batches.withLock { $0 }.isEmpty)

        clock.advance(by: .milliseconds(100))
        try await waitUntil { !store.batches.withLock { $0 }.isEmpty }
        #expect(store.batches.withLock { $0 } == [5])
        #expect(try await store.spendLogs(keyHash: "key", limit: 10).count == 5)
        await writer.shutdown()
    }

    @Test func aFlushWritesAtOnce() async throws {
        writer.record(Self.entry(0))
        try await waitUntil { clock.sleeping == 1 }
        await writer.flush()
        #expect(store.batches.withLock { $0 } == [1])
        // The next entry waits again.
        writer.record(Self.entry(1))
        try await waitUntil { clock.sleeping == 1 }
        #expect(store.batches.withLock { $0 } == [1])
        await writer.shutdown()
        #expect(store.batches.withLock { $0 } == [1, 1])
    }

    @Test func aFlushTriesAFailingStoreAgainAtOnce() async throws {
        store.down.withLock { $0 = true }
        writer.record(Self.entry(0))
        let first = Task { await writer.flush() }
        // The write failed; the writer waits before trying again.
        try await waitUntil { clock.sleeping == 1 }
        #expect(store.batches.withLock { $0 }.isEmpty)

        store.down.withLock { $0 = false }
        await writer.flush()  // ends that wait: the store is tried now
        await first.value
        #expect(store.batches.withLock { $0 } == [1])
        await writer.shutdown()
    }

    @Test func aFullBatchIsWrittenWithoutWaiting() async throws {
        for number in 0..<1_000 { writer.record(Self.entry(number)) }
        try await waitUntil { store.batches.withLock { $0 }.reduce(0, +) == 1_000 }
        #expect(try await store.spendLogs(keyHash: "key", limit: 2_000).count == 1_000)
        await writer.shutdown()
    }
}
