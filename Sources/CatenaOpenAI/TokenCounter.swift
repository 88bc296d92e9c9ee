public import Catena
import Synchronization

/// The tokens of a text as the server's tokenizer sees them.
public struct TokenCount: Sendable, Hashable {
    /// The token ids (empty when estimated).
    public var tokens: [Int]
    /// How many tokens.
    public var count: Int
    /// The model's context length, when the server says (vLLM).
    public var maxModelLength: Int?
    /// `true` when the server has no tokenize endpoint and the count is an estimate (about 4 characters a token).
    public var isEstimate: Bool

    /// Creates a count.
    public init(tokens: [Int], count: Int, maxModelLength: Int? = nil, isEstimate: Bool) {
        self.tokens = tokens
        self.count = count
        self.maxModelLength = maxModelLength
        self.isEstimate = isEstimate
    }
}

extension ModelServerClient {
    /// Which tokenize request shape the server understands, found on first use.
    enum TokenizeDialect { case vLLM, llamaServer, none }

    /// Tokenizes `text` with the server's tokenizer: vLLM's `/tokenize` (`{"model", "prompt"}` → `{"count",
    /// "max_model_len", "tokens"}`) or llama.cpp's (`{"content"}` → `{"tokens"}`), detected on first use.
    /// Servers without the endpoint get an estimate, flagged by ``TokenCount/isEstimate``. A server that cannot be
    /// reached fails the call (and is probed again on the next one).
    public func tokenize(_ text: String, model: String) async throws -> TokenCount {
        switch try await tokenizeDialect(model: model) {
        case .vLLM: return try await tokenizeVLLM(text, model: model)
        case .llamaServer: return try await tokenizeLlama(text)
        case .none: return TokenCount(tokens: [], count: max(1, (text.count + 3) / 4), isEstimate: true)
        }
    }

    private func tokenizeVLLM(_ text: String, model: String) async throws -> TokenCount {
        let body = JSONValue.object(["model": .string(model), "prompt": .string(text)]).serializedBytes
        let reply = try await json(JSONValue.self, route: .tokenize, body: body, onRetry: { _ in })
        let tokens = reply["tokens"]?.arrayValue?.compactMap(\.intValue) ?? []
        return TokenCount(
            tokens: tokens, count: reply["count"]?.intValue ?? tokens.count,
            maxModelLength: reply["max_model_len"]?.intValue,
            isEstimate: false)
    }

    private func tokenizeLlama(_ text: String) async throws -> TokenCount {
        let body = JSONValue.object(["content": .string(text)]).serializedBytes
        let reply = try await json(JSONValue.self, route: .tokenize, body: body, onRetry: { _ in })
        let tokens = reply["tokens"]?.arrayValue?.compactMap(\.intValue) ?? []
        return TokenCount(tokens: tokens, count: tokens.count, isEstimate: false)
    }

    /// Probes the server once with "hello": vLLM answers the `prompt` shape with a count; llama.cpp answers it with
    /// no tokens and the `content` shape with some; a 404 means no endpoint. Only an answer is remembered: a server
    /// that cannot be reached (still starting, say) fails this call and is probed again on the next.
    private func tokenizeDialect(model: String) async throws -> TokenizeDialect {
        if let known = tokenizeDialectCache.withLock({ $0 }) { return known }
        let dialect: TokenizeDialect
        if try await Self.probe({ try await tokenizeVLLM("hello", model: model) }) {
            dialect = .vLLM
        } else if try await Self.probe({ try await tokenizeLlama("hello") }) {
            dialect = .llamaServer
        } else {
            dialect = .none
        }
        tokenizeDialectCache.withLock { $0 = dialect }
        return dialect
    }

    /// Whether `attempt` counted some tokens: `false` when the server refused it (an HTTP error, or no tokens).
    /// - Throws: The failure to reach the server (no connection, a timeout, a lost connection, cancellation).
    private static func probe(_ attempt: () async throws -> TokenCount) async throws -> Bool {
        do {
            return try await attempt().count > 0
        } catch let error as ModelServerError {
            switch error {
            case .cannotConnect, .timeout, .connection, .cancelled: throw error
            default: return false
            }
        }
    }
}

extension ChatVLLM {
    /// The tokens of `text` by the server's tokenizer (see ``ModelServerClient/tokenize(_:model:)``).
    public func tokenize(_ text: String) async throws -> TokenCount {
        try await client.tokenize(text, model: model)
    }

    /// The number of tokens of `messages` flattened as `"System: …\nHuman: …"` (without the chat template's
    /// special tokens, so a few less than the server counts for the same request).
    public func tokenCount(of messages: [Message]) async throws -> TokenCount {
        try await tokenize(PromptValue.messages(messages).string)
    }
}
