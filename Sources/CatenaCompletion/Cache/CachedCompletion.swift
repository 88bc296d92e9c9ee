import Catena
import CatenaOpenAI
import Foundation

/// What a cache stores for a request: the response and what it cost, so a hit can report the saved cost.
struct CachedCompletion: Codable, Sendable {
    var response: CompletionResponse
    var cost: Double?

    /// The stored bytes.
    func encoded() throws -> [UInt8] {
        try JSONValue(encoding: self).serializedBytes
    }

    /// Decodes stored bytes.
    init(decoding bytes: [UInt8]) throws {
        self = try CachedCompletion(readingJSON: bytes)
    }

    init(response: CompletionResponse, cost: Double?) {
        self.response = response
        self.cost = cost
    }
}

extension CachedCompletion: JSONReadable {
    /// Reads stored bytes (a hit must not cost more than the request it saves).
    static func read(from parser: inout JSONParser) throws -> CachedCompletion? {
        var response: CompletionResponse?
        var cost: Double?
        let present = try parser.readObject { parser, name in
            switch name {
            case "response": response = try CompletionResponse.read(from: &parser)
            case "cost": cost = try parser.readDouble()
            default: try parser.skipValue()
            }
        }
        guard present else { return nil }
        guard let response else { throw DecodingError.missingMember("response") }
        return CachedCompletion(response: response, cost: cost)
    }
}
