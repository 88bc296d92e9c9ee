/// An embedding service behind one wire format: texts in, one vector per text out, with usage.
/// ``ProviderEmbeddings`` puts batching on top of any provider.
public protocol EmbeddingProvider: Sendable {
    /// The provider's name (`openai`, `vllm`, …).
    var providerName: String { get }
    /// The exact body sent for `request`.
    /// - Throws: When the wire format cannot express the request.
    func requestBody(_ request: EmbeddingRequest) throws -> [UInt8]
    /// Sends a body made by ``requestBody(_:)`` for `inputs` texts and reads the answer: one vector per input, in
    /// input order, with the body as received.
    /// - Throws: When the service fails, or answers with a vector missing.
    func embed(body: [UInt8], inputs: Int) async throws -> EmbeddingReply
}

extension EmbeddingProvider {
    /// One vector per input, in input order.
    /// - Throws: When the service fails, or answers with a vector missing.
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        try await embed(body: requestBody(request), inputs: request.inputs.count).response
    }
}

/// A provider's embeddings answer, with the response body as received (for logging).
public struct EmbeddingReply: Sendable {
    /// The vectors, usage and model.
    public var response: EmbeddingResponse
    /// The response body as received.
    public var raw: [UInt8]

    /// Creates a reply.
    public init(response: EmbeddingResponse, raw: [UInt8]) {
        self.response = response
        self.raw = raw
    }
}

/// What to embed, in no provider's wire format.
public struct EmbeddingRequest: Sendable, Hashable {
    /// The model name sent.
    public var model: String
    /// The texts, each embedded apart.
    public var inputs: [String]
    /// The vectors' length, for models that can shorten them (`nil`: the model's own).
    public var dimensions: Int?

    /// Creates a request.
    public init(model: String, inputs: [String], dimensions: Int? = nil) {
        self.model = model
        self.inputs = inputs
        self.dimensions = dimensions
    }
}

/// A provider's vectors, one per input in input order, with usage and the model that made them.
public struct EmbeddingResponse: Sendable, Hashable {
    /// The vectors.
    public var vectors: [[Float]]
    /// The tokens read, when reported.
    public var usage: Usage?
    /// The model that answered, when reported.
    public var model: String?

    /// Creates a response.
    public init(vectors: [[Float]], usage: Usage? = nil, model: String? = nil) {
        self.vectors = vectors
        self.usage = usage
        self.model = model
    }
}
