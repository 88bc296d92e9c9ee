/// A retriever over documents held in memory, ranked by how many of the query's words each contains
/// (case-insensitive). For tests, examples and small fixed collections; a search index or vector store takes its
/// place in production.
///
/// ```swift
/// let retriever = InMemoryRetriever([
///     Document(pageContent: "Swift is a programming language"),
///     Document(pageContent: "Bears eat honey"),
/// ])
/// let found = try await retriever.invoke("what do bears eat")   // the bears document
/// ```
public struct InMemoryRetriever: Retriever {
    /// The documents searched.
    public var documents: [Document]
    /// The most documents returned.
    public var limit: Int

    /// Creates a retriever over `documents` returning at most `limit` of them.
    public init(_ documents: [Document], limit: Int = 4) {
        self.documents = documents
        self.limit = limit
    }

    /// The documents containing at least one word of `query`, most matching words first (ties keep the documents'
    /// order), at most ``limit`` of them.
    public func retrieve(_ query: String) async throws -> [Document] {
        let terms = Self.words(of: query)
        let scored = documents.enumerated().compactMap { offset, document -> (score: Int, offset: Int, Document)? in
            let score = Self.words(of: document.pageContent).intersection(terms).count
            return score > 0 ? (score, offset, document) : nil
        }
        let ranked = scored.sorted { ($0.score, -$0.offset) > ($1.score, -$1.offset) }
        return ranked.prefix(Swift.max(0, limit)).map(\.2)
    }

    /// The lowercased words of `text`.
    private static func words(of text: String) -> Set<Substring> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber })
    }
}
