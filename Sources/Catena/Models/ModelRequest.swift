import Foundation

/// What differs between a text and a chat model's call: how the run's start is reported, the model's bodies, and
/// the prompt a cached answer is filed under. ``ModelCall`` does everything around it.
///
/// A request holds its model as an existential (`any LLM`, `any ChatModel`) and reads the rest of what the call
/// needs from the model once, into ``traits``: the request types are not generic, so the calls around them are
/// compiled for them in this module, and making one costs no runtime lookup of generic type metadata.
protocol ModelRequest<Chunk>: Sendable {
    associatedtype Chunk: ModelChunk

    /// What the call reads from the model besides its bodies.
    var traits: ModelTraits { get }
    /// The options bound to the model (parameters, stop sequences).
    var options: CallOptions { get }
    /// The prompt key of the response cache.
    /// - Throws: When the prompt cannot be encoded (such a call is neither looked up nor cached).
    var promptKey: String { get throws }
    /// The model's invocation parameters for this call, built when first read.
    var parameters: InvocationParameters { get }

    /// Reports the run's start with ``parameters``, made only when a handler listens.
    func start(_ callbacks: CallbackManager, name: String, runID: UUID?) throws -> LLMRunManager

    /// The model's non-streaming body.
    func generate(runManager: LLMRunManager) async throws -> ChatResult

    /// The model's streaming body, or `nil` when it cannot stream.
    func modelStream(runManager: LLMRunManager) -> RunnableStream<Chunk>?
}

/// What a model call reads from its model besides the bodies.
struct ModelTraits: Sendable {
    let name: String
    let cache: (any ResponseCache)?
    let rateLimiter: (any RateLimiter)?
    let stopHandling: StopSequenceHandling
    let disablesStreaming: Bool

    init(of model: some LanguageModel) {
        name = model.name
        cache = model.cache
        rateLimiter = model.rateLimiter
        stopHandling = model.stopSequenceHandling
        disablesStreaming = model.disablesStreaming
    }
}

extension ModelRequest {
    var name: String { traits.name }
    var stop: [String]? { options.stop }
    var cache: (any ResponseCache)? { traits.cache }
    var rateLimiter: (any RateLimiter)? { traits.rateLimiter }
    var stopHandling: StopSequenceHandling { traits.stopHandling }

    /// Reports the run's start with the invocation parameters, built when first read.
    func start(_ context: RunContext) throws -> LLMRunManager {
        try start(context.callbacks, name: context.runName(default: name), runID: context.runID)
    }

    /// What a cached response is filed under: the model's settings, then the prompt.
    /// - Throws: When the prompt cannot be encoded.
    var cacheKey: String {
        get throws { "catena.model:" + JSONValue.object(parameters.values).jsonString + "\n" + (try promptKey) }
    }

    /// The model's streaming body, unless streaming is disabled.
    func streamChunks(runManager: LLMRunManager) -> RunnableStream<Chunk>? {
        traits.disablesStreaming ? nil : modelStream(runManager: runManager)
    }
}

/// A text model's call on one prompt.
struct TextRequest: ModelRequest {
    let model: any LLM
    let traits: ModelTraits
    let prompt: String
    let options: CallOptions

    init(model: some LLM, prompt: String, options: CallOptions) {
        self.model = options.parameters.isEmpty ? model : model.applying(boundParameters: options.parameters)
        self.traits = ModelTraits(of: model)
        self.prompt = prompt
        self.options = options
    }

    var promptKey: String { prompt }

    var parameters: InvocationParameters {
        var parameters = InvocationParameters { [model, options] in model.invocationParameters(options: options) }
        parameters.provider = model.providerName
        return parameters
    }

    func start(_ callbacks: CallbackManager, name: String, runID: UUID?) throws -> LLMRunManager {
        try callbacks.startLLM(name: name, prompts: [prompt], parameters: parameters, runID: runID)
    }

    func generate(runManager: LLMRunManager) async throws -> ChatResult {
        ChatResult(generations: [Generation(text: try await model.call(prompt, stop: stop, runManager: runManager))])
    }

    func modelStream(runManager: LLMRunManager) -> RunnableStream<Generation>? {
        model.callStream(prompt, stop: stop, runManager: runManager)
    }
}

/// A chat model's call on one conversation.
struct ChatModelRequest: ModelRequest {
    let model: any ChatModel
    let traits: ModelTraits
    let messages: [Message]
    let options: CallOptions

    init(model: some ChatModel, messages: [Message], options: CallOptions) {
        self.model = options.parameters.isEmpty ? model : model.applying(boundParameters: options.parameters)
        self.traits = ModelTraits(of: model)
        self.messages = messages
        self.options = options
    }

    var promptKey: String {
        get throws { try JSONValue(encoding: messages).jsonString }
    }

    var parameters: InvocationParameters {
        var parameters = InvocationParameters { [model, options] in model.invocationParameters(options: options) }
        parameters.provider = model.providerName
        return parameters
    }

    func start(_ callbacks: CallbackManager, name: String, runID: UUID?) throws -> LLMRunManager {
        try callbacks.startChatModel(name: name, messages: [messages], parameters: parameters, runID: runID)
    }

    func generate(runManager: LLMRunManager) async throws -> ChatResult {
        try await model.generate(messages, stop: stop, runManager: runManager)
    }

    func modelStream(runManager: LLMRunManager) -> RunnableStream<Message>? {
        model.generateStream(messages, stop: stop, runManager: runManager)
    }
}
