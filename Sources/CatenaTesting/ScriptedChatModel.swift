public import Catena
import Synchronization

/// A chat model whose replies a test writes, tool calls included: for agents and other tool loops.
///
/// Each call answers with `respond(conversation)`; ``init(replies:)`` answers the calls in turn. Streaming sends the
/// reply's text word by word (as ``FakeChatModel`` does), then its tool calls as fragments, which merge back into
/// the reply. The conversations and tool definitions it was called with are kept for assertions.
public struct ScriptedChatModel: ChatModel, ToolCallingChatModel, StructuredOutputChatModel {
    /// Answers one call from the conversation so far.
    public typealias Respond = @Sendable (_ conversation: [Message]) async throws -> Message

    /// The tool definitions bound with ``bindingTools(_:choice:)``.
    public private(set) var tools: [ToolDefinition] = []
    /// The response format set with ``withResponseFormat(_:)``.
    public private(set) var responseFormat: ResponseFormat?
    /// The model type reported in traces.
    public var llmType: String { "scripted-chat" }
    private let respond: Respond
    private let conversations = Conversations()

    /// A model that answers with `respond`.
    public init(respond: @escaping Respond) {
        self.respond = respond
    }

    /// A model that answers its calls with `replies`, in turn.
    /// - Throws (on a call past the last reply): ``ScriptExhausted``.
    public init(replies: [Message]) {
        let counter = CallCounter()
        self.init { _ in
            let index = counter.next()
            guard index < replies.count else { throw ScriptExhausted(replies: replies.count) }
            return replies[index]
        }
    }

    /// The conversation of each call so far, oldest first.
    public var calls: [[Message]] { conversations.all.withLock { $0 } }

    /// The scripted reply.
    public func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        ChatResult(message: try await reply(to: messages))
    }

    /// The scripted reply, its text word by word, then each tool call in fragments, as providers stream them: its
    /// id and name, then its arguments 16 characters at a time.
    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        .deferred {
            let reply = try await reply(to: messages)
            let words = FakeChatModel.split(reply.text).map { Message.assistant($0) }
            let fragments = reply.toolCalls.enumerated().flatMap { index, call in
                let pieces = stride(from: 0, to: call.arguments.count, by: 16).map { start in
                    String(call.arguments.dropFirst(start).prefix(16))
                }
                return [ToolCall(index: index, id: call.id, name: call.name)]
                    + pieces.map { ToolCall(index: index, arguments: $0) }
            }
            return .of(words + fragments.map { .assistant("", toolCalls: [$0]) })
        }
    }

    /// This model, offering `definitions` (kept in ``tools``).
    public func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice?) -> ScriptedChatModel {
        var copy = self
        copy.tools = definitions
        return copy
    }

    /// This model, with `format` kept in ``responseFormat`` (the script decides what it answers).
    public func withResponseFormat(_ format: ResponseFormat?) -> ScriptedChatModel {
        var copy = self
        copy.responseFormat = format
        return copy
    }

    private func reply(to messages: [Message]) async throws -> Message {
        conversations.all.withLock { $0.append(messages) }
        return try await respond(messages)
    }
}

/// The conversations a ``ScriptedChatModel`` and its copies were called with.
private final class Conversations: Sendable {
    let all = Mutex<[[Message]]>([])
}

/// A ``ScriptedChatModel`` was called more times than it has replies.
public struct ScriptExhausted: Error, Sendable, CustomStringConvertible {
    /// How many replies the script has.
    public let replies: Int
    public var description: String { "the scripted model was called more than its \(replies) replies" }
}
