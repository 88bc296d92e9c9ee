import Catena
import Foundation

/// What a cache stores for an embedding request: the vectors, usage, model and what the call cost.
struct CachedEmbedding: Codable, Sendable {
    var vectors: [[Float]]
    var usage: Usage?
    var model: String?
    var cost: Double?

    init(_ response: EmbeddingResponse, cost: Double?) {
        vectors = response.vectors
        usage = response.usage
        model = response.model
        self.cost = cost
    }

    /// The stored response.
    var response: EmbeddingResponse { EmbeddingResponse(vectors: vectors, usage: usage, model: model) }

    /// The stored bytes.
    func encoded() throws -> [UInt8] { try JSONValue(encoding: self).serializedBytes }

    /// Decodes stored bytes.
    init(decoding bytes: [UInt8]) throws {
        self = try JSONValue(parsing: bytes).decode(as: CachedEmbedding.self)
    }
}
