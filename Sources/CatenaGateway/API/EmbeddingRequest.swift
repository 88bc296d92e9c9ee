import Catena
import Foundation

/// An OpenAI embeddings request as the gateway reads it: the model, the texts, the dimensions and how the vectors
/// are sent back (`float`, or `base64` as the openai clients ask by default).
struct EmbeddingRequest: Sendable {
    var model: String
    var input: [String]
    var dimensions: Int?
    var base64: Bool

    /// Reads a request body.
    /// - Throws: ``GatewayError`` (400) naming the field at fault.
    init(body: [UInt8]) throws(GatewayError) {
        let fields = try RequestFields(body: body)
        try fields.refuseUnknown(["model", "input", "dimensions", "encoding_format", "user"])
        model = try fields.required("model", \.stringValue, "a string")
        input = try fields.required(
            "input", { $0.stringValue.map { [$0] } ?? $0.arrayValue?.compactMap(\.stringValue) },
            "a string or an array of strings")
        guard !input.isEmpty else { throw .invalidRequest("'input' must hold at least one text", param: "input") }
        dimensions = try fields.optional("dimensions", \.intValue, "an integer")
        switch try fields.optional("encoding_format", \.stringValue, "float or base64") ?? "float" {
        case "float": base64 = false
        case "base64": base64 = true
        default: throw .invalidRequest("'encoding_format' must be float or base64", param: "encoding_format")
        }
    }

    /// OpenAI's answer for `response`.
    func answer(_ response: EmbeddingResponse) -> JSONValue {
        let data = response.vectors.enumerated().map { index, vector -> JSONValue in
            let embedding: JSONValue =
                base64
                ? .string(
                    Data(vector.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) })
                        .base64EncodedString())
                : .array(vector.map { .double(Double($0)) })
            return ["object": "embedding", "index": .int(index), "embedding": embedding]
        }
        let tokens = response.usage?.inputTokens ?? 0
        return [
            "object": "list", "data": .array(data), "model": .string(model),
            "usage": ["prompt_tokens": .int(tokens), "total_tokens": .int(tokens)],
        ]
    }
}
