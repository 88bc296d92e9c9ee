public import Catena

/// A chat model that replies from a script, for tests and benchmarks: no network, deterministic output.
///
/// Each call takes the next reply (cycling). Streaming splits a reply into words and the spaces between them
/// (`"hello world"` streams `"hello"`, `" "`, `"world"`), as LangChain's `GenericFakeChatModel` does. A failure
/// can be injected after a number of chunks, and a delay before each chunk.
public struct FakeChatModel: ChatModel {
    /// The replies, used in turn.
    public var replies: [String]
    /// When set, streaming fails with ``FakeModelError`` after this many chunks (and invoke fails outright).
    public var failAfterChunks: Int?
    /// Waited before each chunk (and before an invoke reply).
    public var delay: Duration?
    /// Whether the model streams; when `false`, streaming falls back to one chunk.
    public var streams: Bool
    /// The model type reported in traces (`_type`, and `ls_provider`: ``providerName``).
    public var llmType: String
    private let counter = CallCounter()

    /// Creates a fake model.
    public init(
        replies: [String], failAfterChunks: Int? = nil, delay: Duration? = nil, streams: Bool = true,
        llmType: String = "fake-chat"
    ) {
        precondition(!replies.isEmpty, "a fake model needs at least one reply")
        self.replies = replies
        self.failAfterChunks = failAfterChunks
        self.delay = delay
        self.streams = streams
        self.llmType = llmType
    }

    /// The provider traces name: ``llmType``, so a test can name the model it stands in for
    /// (`genericfakechatmodel` for LangChain's `GenericFakeChatModel`).
    public var providerName: String { llmType }

    /// How many calls the model has answered.
    public var callCount: Int { counter.value }

    /// The next reply.
    public func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        let reply = nextReply()
        if let delay { try await Task.sleep(for: delay) }
        if failAfterChunks != nil { throw FakeModelError(partialOutput: "") }
        return ChatResult(message: .assistant(reply))
    }

    /// The next reply, word by word.
    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        guard streams else { return nil }
        let chunks = Self.split(nextReply())
        let failAfter = failAfterChunks
        let delay = delay
        return RunnableStream {
            var index = 0
            var emitted = ""
            return {
                if let failAfter, index == failAfter { throw FakeModelError(partialOutput: emitted) }
                guard index < chunks.count else { return nil }
                if let delay { try await Task.sleep(for: delay) }
                let chunk = chunks[index]
                index += 1
                emitted += chunk
                return Message(role: .assistant, content: .text(chunk))
            }
        }
    }

    /// `text` split into words and the runs of spaces between them.
    public static func split(_ text: String) -> [String] {
        var chunks: [String] = []
        var current = ""
        for character in text {
            if let last = current.last, last.isWhitespace != character.isWhitespace {
                chunks.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    private func nextReply() -> String {
        replies[counter.next() % replies.count]
    }
}

/// The error a ``FakeChatModel`` throws when told to fail.
public struct FakeModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the model had produced before failing.
    public let partialOutput: String

    /// "fake model failure after …".
    public var description: String { "fake model failure after \"\(partialOutput)\"" }
}
