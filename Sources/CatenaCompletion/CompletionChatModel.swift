public import Catena
import CatenaOpenAI

/// `completion()` as a chat model, for an `Agent` or a chain: each call goes through a ``CompletionClient`` (any
/// provider, with its loggers, cost and cache) or a ``Router`` (load balancing and fallbacks over deployments).
///
/// The completion layer reports each call as its own model run, a child of the run in progress, so this model adds
/// no run of its own. A call answers whole: an agent's updates get each turn's text in one piece.
///
/// ```swift
/// let model = CompletionChatModel(client: llm, model: "hosted_vllm/Qwen/Qwen3-8B")
/// let agent = try Agent(model: model, tools: [weather])
/// ```
public struct CompletionChatModel: ToolCallingChatModel, StructuredOutputChatModel {
    /// Where the calls go.
    private enum Target: Sendable {
        case client(CompletionClient)
        case router(Router)
    }

    private let target: Target
    /// The model: `provider/name` for a client, a model group for a router.
    public let model: String
    /// The options of every call (tools and the response format included, as bound).
    public var options: CompletionOptions

    /// Calls `model` (`provider/name`) through `client`.
    public init(client: CompletionClient, model: String, options: CompletionOptions = CompletionOptions()) {
        self.target = .client(client)
        self.model = model
        self.options = options
    }

    /// Calls the model group `model` through `router`.
    public init(router: Router, model: String, options: CompletionOptions = CompletionOptions()) {
        self.target = .router(router)
        self.model = model
        self.options = options
    }

    /// The answer to the prompt, as the completion layer's run reports it (under `context`'s run).
    /// - Throws: ``CompletionError``, `ModelServerError`, or `CatenaError` (`emptyOutput`) for an answer without
    ///   a choice.
    public func invoke(_ input: PromptValue, context: RunContext) async throws -> Message {
        let response = try await context.makeCurrent {
            switch target {
            case .client(let client):
                try await client.completion(model: model, messages: input.messages, options: options)
            case .router(let router):
                try await router.completion(model: model, messages: input.messages, options: options)
            }
        }
        guard let message = ChatResult(response).generations.first?.message else {
            throw CatenaError(.emptyOutput, "\(model) answered without a choice")
        }
        return message
    }

    /// This model, offering `definitions` on every call.
    public func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice?) -> CompletionChatModel {
        var copy = self
        copy.options.tools = definitions
        copy.options.toolChoice = choice ?? options.toolChoice
        return copy
    }

    /// This model, answering in `format`.
    public func withResponseFormat(_ format: ResponseFormat?) -> CompletionChatModel {
        var copy = self
        copy.options.responseFormat = format
        return copy
    }
}
