/// A retriever over documents held in memory with their vectors: a query's nearest documents by cosine
/// similarity, each with its `score` in its metadata.
///
/// ```swift
/// let retriever = try await EmbeddingRetriever.indexing(documents, with: embeddings, limit: 3)
/// let chain = retriever | { docs in docs.map(\.pageContent).joined(separator: "\n") }
/// ```
public struct EmbeddingRetriever: Retriever {
    /// The documents searched, with their vectors.
    public let entries: [(document: Document, vector: [Float])]
    /// How queries are embedded.
    public let embeddings: any Embeddings
    /// The most documents returned.
    public var limit: Int

    /// A retriever over `documents`, embedded now (in the batches `embeddings` uses).
    public static func indexing(
        _ documents: [Document], with embeddings: any Embeddings, limit: Int = 4
    ) async throws -> EmbeddingRetriever {
        let vectors = try await embeddings.embedDocuments(documents.map(\.pageContent))
        return EmbeddingRetriever(entries: Array(zip(documents, vectors)), embeddings: embeddings, limit: limit)
    }

    /// A retriever over documents already embedded.
    public init(entries: [(document: Document, vector: [Float])], embeddings: any Embeddings, limit: Int = 4) {
        self.entries = entries
        self.embeddings = embeddings
        self.limit = limit
    }

    /// The ``limit`` documents most similar to `query`, most similar first, each with its `score` (cosine
    /// similarity) in its metadata.
    public func retrieve(_ query: String) async throws -> [Document] {
        let target = try await embeddings.embedQuery(query)
        let scored = entries.map { entry in (entry.document, Self.cosine(target, entry.vector)) }
        return scored.sorted { $0.1 > $1.1 }.prefix(Swift.max(0, limit)).map { document, score in
            var document = document
            document.metadata["score"] = .double(Double(score))
            return document
        }
    }

    /// The cosine similarity of two vectors (0 when either is all zeros or their lengths differ).
    package static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return 0 }
        var dot: Float = 0, normA: Float = 0, normB: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        let norms = (normA * normB).squareRoot()
        return norms > 0 && norms.isFinite ? dot / norms : 0
    }
}
