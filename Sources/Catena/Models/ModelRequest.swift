import Foundation

/// What differs between a text and a chat model's call: how the run's start is reported, the model's bodies, and
/// the prompt a cached answer is filed under. ``ModelCall`` does everything around it, holding the request as an
/// existential over its chunk type: one value per call instead of a closure per step, while the per-chunk work
/// stays compiled for the concrete chunk type.
protocol ModelRequest<Chunk>: Sendable {
    associatedtype Model: LanguageModel
    associatedtype Chunk: ModelChunk

    var model: Model { get }
    /// The options bound to the model (parameters, stop sequences).
    var options: CallOptions { get }
    /// The prompt key of the response cache.
    var promptKey: String { get }

    /// Reports the run's start; parameters are only built when a handler reads them (or the run's metadata).
    func start(
        _ callbacks: CallbackManager, name: String, runID: UUID?, parameters: @autoclosure () -> InvocationParameters
    ) throws -> LLMRunManager

    /// The model's non-streaming body.
    func generate(runManager: LLMRunManager) async throws -> ChatResult

    /// The model's streaming body, or `nil` when it cannot stream.
    func modelStream(runManager: LLMRunManager) -> RunnableStream<Chunk>?
}

extension ModelRequest {
    var name: String { model.name }
    var stop: [String]? { options.stop }
    var cache: (any ResponseCache)? { model.cache }
    var rateLimiter: (any RateLimiter)? { model.rateLimiter }
    var stopHandling: StopSequenceHandling { model.stopSequenceHandling }

    /// Reports the run's start with the invocation parameters, built when first read.
    func start(_ context: RunContext) throws -> LLMRunManager {
        try start(
            context.callbacks, name: context.runName(default: name), runID: context.runID,
            parameters: InvocationParameters { [model, options] in model.invocationParameters(options: options) })
    }

    /// The prompt and model settings a cached response is filed under.
    var cacheKey: (prompt: String, model: String) {
        (promptKey, JSONValue.object(model.invocationParameters(options: options)).jsonString)
    }

    /// The model's streaming body, unless streaming is disabled.
    func streamChunks(runManager: LLMRunManager) -> RunnableStream<Chunk>? {
        model.disablesStreaming ? nil : modelStream(runManager: runManager)
    }
}

/// A text model's call on one prompt.
struct TextRequest<Model: LLM>: ModelRequest {
    let model: Model
    let prompt: String
    let options: CallOptions

    var promptKey: String { prompt }

    func start(
        _ callbacks: CallbackManager, name: String, runID: UUID?, parameters: @autoclosure () -> InvocationParameters
    ) throws -> LLMRunManager {
        try callbacks.startLLM(
            name: name, prompts: [prompt], parameters: parameters(), runID: runID)
    }

    func generate(runManager: LLMRunManager) async throws -> ChatResult {
        ChatResult(generations: [Generation(text: try await model.call(prompt, stop: stop, runManager: runManager))])
    }

    func modelStream(runManager: LLMRunManager) -> RunnableStream<Generation>? {
        model.callStream(prompt, stop: stop, runManager: runManager)
    }
}

/// A chat model's call on one conversation.
struct ChatRequest<Model: ChatModel>: ModelRequest {
    let model: Model
    let messages: [Message]
    let options: CallOptions

    var promptKey: String { (try? JSONValue(encoding: messages).jsonString) ?? "" }

    func start(
        _ callbacks: CallbackManager, name: String, runID: UUID?, parameters: @autoclosure () -> InvocationParameters
    ) throws -> LLMRunManager {
        try callbacks.startChatModel(
            name: name, messages: [messages], parameters: parameters(), runID: runID)
    }

    func generate(runManager: LLMRunManager) async throws -> ChatResult {
        try await model.generate(messages, stop: stop, runManager: runManager)
    }

    func modelStream(runManager: LLMRunManager) -> RunnableStream<Message>? {
        model.generateStream(messages, stop: stop, runManager: runManager)
    }
}
