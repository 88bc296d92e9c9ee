/// Turns text into vectors for search: many documents at once, or one query (LangChain's `Embeddings`).
///
/// ```swift
/// let embeddings = ProviderEmbeddings(provider: OpenAIEmbeddingProvider(client: client), model: "local")
/// let vectors = try await embeddings.embedDocuments(["Bears eat honey", "Swift is a language"])
/// let query = try await embeddings.embedQuery("what do bears eat")
/// ```
public protocol Embeddings: Sendable {
    /// One vector per document, in order.
    func embedDocuments(_ documents: [String]) async throws -> [[Float]]
    /// The vector of a search query.
    func embedQuery(_ query: String) async throws -> [Float]
}

/// ``Embeddings`` over any ``EmbeddingProvider``: documents go in batches of ``batchSize`` (one request each, in
/// order), a query alone.
public struct ProviderEmbeddings: Embeddings {
    /// The service.
    public var provider: any EmbeddingProvider
    /// The model name sent.
    public var model: String
    /// The most texts per request (at least 1).
    public var batchSize: Int
    /// The vectors' length, for models that can shorten them (`nil`: the model's own).
    public var dimensions: Int?

    /// Creates embeddings over `provider`.
    public init(provider: any EmbeddingProvider, model: String, batchSize: Int = 64, dimensions: Int? = nil) {
        self.provider = provider
        self.model = model
        self.batchSize = batchSize
        self.dimensions = dimensions
    }

    /// The documents' vectors, requested in batches; no request for no document.
    /// - Throws: ``CatenaError`` with code `invalidInput` when a batch comes back with the wrong number of vectors,
    ///   or the provider's error.
    public func embedDocuments(_ documents: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(documents.count)
        var start = documents.startIndex
        while start < documents.endIndex {
            let end =
                documents.index(start, offsetBy: Swift.max(1, batchSize), limitedBy: documents.endIndex)
                ?? documents.endIndex
            let batch = Array(documents[start..<end])
            let response = try await provider.embed(
                EmbeddingRequest(model: model, inputs: batch, dimensions: dimensions))
            guard response.vectors.count == batch.count else {
                throw CatenaError(
                    .invalidInput,
                    "\(provider.providerName) returned \(response.vectors.count) vectors for \(batch.count) texts")
            }
            vectors += response.vectors
            start = end
        }
        return vectors
    }

    /// The query's vector.
    public func embedQuery(_ query: String) async throws -> [Float] {
        try await embedDocuments([query])[0]
    }
}
