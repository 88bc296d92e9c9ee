import Catena
import Synchronization

/// Answers "hello" at once, as the peers' FastChat does.
struct FastChat: ChatModel {
    var llmType: String { "fast-chat" }
    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        ChatResult(message: .assistant("hello"))
    }
}

/// Streams `count` one-character tokens, as the peers' StreamChat does.
struct StreamChat: ChatModel {
    var count: Int
    var llmType: String { "stream-chat" }
    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        ChatResult(message: .assistant(String(repeating: "t", count: count)))
    }
    func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Message>? {
        let count = count
        return RunnableStream {
            var emitted = 0
            return {
                guard emitted < count else { return nil }
                emitted += 1
                return Message(role: .assistant, content: .text("t"))
            }
        }
    }
}

/// Sleeps 10 ms, then answers: for the in-flight memory measurement.
struct SleepyChat: ChatModel {
    var llmType: String { "sleepy" }
    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        try await Task.sleep(nanoseconds: 10_000_000)
        return ChatResult(message: .assistant("hello"))
    }
}

/// A cheap handler counting starts, tokens and ends.
final class CountingHandler: CallbackHandler {
    let starts = Atomic<Int>(0)
    let tokens = Atomic<Int>(0)
    let ends = Atomic<Int>(0)

    func onLLMStart(_ run: RunInfo, prompts: [String], parameters: InvocationParameters) {
        starts.add(1, ordering: .relaxed)
    }
    func onChatModelStart(_ run: RunInfo, messages: [[Message]], parameters: InvocationParameters) {
        starts.add(1, ordering: .relaxed)
    }
    func onLLMNewToken(_ run: RunInfo, token: String, chunk: Generation?) { tokens.add(1, ordering: .relaxed) }
    func onLLMEnd(_ run: RunInfo, result: LLMResult) { ends.add(1, ordering: .relaxed) }
}
