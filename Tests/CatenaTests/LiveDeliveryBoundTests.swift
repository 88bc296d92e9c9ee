import CatenaTesting
import Synchronization
import Testing

@testable import Catena

/// A live `streamEvents` consumer that falls behind holds the call back instead of queueing without bound.
@Suite struct LiveDeliveryBoundTests {
    /// Streams `count` chunks as fast as it is pulled, counting those it made.
    struct CountingChat: ChatModel {
        final class Made: Sendable { let count = Atomic<Int>(0) }
        let count: Int
        let made: Made
        var llmType: String { "counting" }
        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            ChatResult(message: .assistant(""))
        }
        func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
            Message
        >? {
            let (count, made) = (count, made)
            return RunnableStream(makeNext: {
                { () async throws -> Message? in
                    let produced = made.count.add(1, ordering: .relaxed).newValue
                    return produced <= count ? .assistant("\(produced - 1) ") : nil
                }
            })
        }
    }

    @Test(.timeLimit(.minutes(1))) func aConsumerThatFallsBehindHoldsTheCallBack() async throws {
        let capacity = LiveEventChannel.capacity
        let made = CountingChat.Made()
        var iterator = CountingChat(count: 20 * capacity, made: made).streamEvents("x", delivery: .live)
            .makeAsyncIterator()
        var chunks: [String] = []
        func take() async throws -> Bool {
            guard let event = try await iterator.next() else { return false }
            if event.event == "on_chat_model_stream", let chunk = event.data.chunk { chunks.append(chunk.text) }
            return true
        }
        _ = try await take()
        // The call runs ahead until the queue is full…
        while made.count.load(ordering: .relaxed) < capacity { await Task.yield() }
        // …and no further, however long the consumer stays away: a full queue, and the batch the consumer took
        // with its first event (itself at most a full queue). An unbounded queue would take every chunk here.
        try await Task.sleep(for: .milliseconds(50))
        #expect(made.count.load(ordering: .relaxed) <= 2 * capacity + 2)
        while try await take() {}
        #expect(chunks == (0..<20 * capacity).map { "\($0) " })
    }

    @Test(.timeLimit(.minutes(1))) func aConsumerThatStopsReleasesTheCallWaitingForRoom() async throws {
        let capacity = LiveEventChannel.capacity
        let (made, recorder) = (CountingChat.Made(), RecordingCallbackHandler())
        let chat = CountingChat(count: 20 * capacity, made: made)
        do {
            var iterator = chat.streamEvents("x", config: .init(callbacks: [recorder]), delivery: .live)
                .makeAsyncIterator()
            _ = try await iterator.next()
            while made.count.load(ordering: .relaxed) < capacity { await Task.yield() }
        }
        // The call, cancelled while it waited for room, ends with the cancellation and pulls no more chunks.
        while !recorder.hookNames.contains("on_llm_error") { try await Task.sleep(for: .milliseconds(1)) }
        #expect(made.count.load(ordering: .relaxed) <= 2 * capacity + 2)
    }
}
