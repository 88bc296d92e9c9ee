import Catena
import CatenaOpenAI
import Foundation

/// What a cache stores for a request: the response and what it cost, so a hit can report the saved cost.
struct CachedCompletion: Codable, Sendable {
    var response: CompletionResponse
    var cost: Double?

    /// The stored bytes.
    func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }

    /// Decodes stored bytes.
    init(decoding bytes: [UInt8]) throws {
        self = try JSONValueDecoder().decode(CachedCompletion.self, fromJSON: bytes)
    }

    init(response: CompletionResponse, cost: Double?) {
        self.response = response
        self.cost = cost
    }
}
