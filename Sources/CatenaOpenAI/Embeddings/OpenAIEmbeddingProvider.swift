public import Catena

/// The OpenAI-compatible embeddings API (`POST /embeddings`) of OpenAI, vLLM and llama.cpp's server (started with
/// `--embeddings`).
///
/// ```swift
/// let embeddings = ProviderEmbeddings(provider: OpenAIEmbeddingProvider(client: client), model: "text-embedding-3-small")
/// ```
public struct OpenAIEmbeddingProvider: EmbeddingProvider {
    /// The server.
    public var client: ModelServerClient
    /// The name reported (`openai`).
    public var providerName: String

    /// Creates a provider.
    public init(client: ModelServerClient, providerName: String = "openai") {
        self.client = client
        self.providerName = providerName
    }

    /// The embeddings request body: model, input, `encoding_format` `float`, and dimensions when set.
    public func requestBody(_ request: EmbeddingRequest) -> [UInt8] {
        var members: [(String, JSONValue)] = [
            ("model", .string(request.model)), ("input", .array(request.inputs.map(JSONValue.string))),
            ("encoding_format", "float"),
        ]
        if let dimensions = request.dimensions { members.append(("dimensions", .int(dimensions))) }
        return JSONValue.serializedObject(members)
    }

    /// The vectors of `inputs` texts, in input order (the answer's `index` fields place them).
    /// - Throws: ``ModelServerError`` for a failed call, or ``ModelServerError/decoding(payload:reason:)`` for an
    ///   answer without a vector for every input.
    public func embed(body: [UInt8], inputs: Int) async throws -> EmbeddingReply {
        let raw = try await client.responseBody(route: .embeddings, body: body)
        return EmbeddingReply(
            response: try Self.response(from: client.decoded(JSONValue.self, from: raw), inputs: inputs), raw: raw)
    }

    /// Reads an embeddings answer for `inputs` texts.
    package static func response(from json: JSONValue, inputs: Int) throws -> EmbeddingResponse {
        func failure(_ reason: String) -> ModelServerError {
            .decoding(payload: String(json.jsonString.prefix(2_000)), reason: reason)
        }
        guard let data = json["data"]?.arrayValue else { throw failure("expected a data list of embeddings") }
        var vectors = [[Float]?](repeating: nil, count: inputs)
        for (position, item) in data.enumerated() {
            let index = item["index"]?.intValue ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw failure("embedding index \(index) is not one of the \(inputs) inputs, or repeats")
            }
            guard let numbers = item["embedding"]?.arrayValue else { throw failure("embedding \(index) is not a list") }
            vectors[index] = try numbers.map { number in
                guard let value = number.doubleValue ?? number.intValue.map(Double.init), value.isFinite else {
                    throw failure("embedding \(index) holds \(number.jsonString), not a number")
                }
                return Float(value)
            }
        }
        guard let missing = vectors.firstIndex(where: { $0 == nil }) else {
            let usage = try json["usage"].map { usage in
                Usage(
                    inputTokens: try usage.tokenCount("prompt_tokens"), outputTokens: 0,
                    totalTokens: try usage.tokenCount("total_tokens"))
            }
            return EmbeddingResponse(vectors: vectors.map { $0! }, usage: usage, model: json["model"]?.stringValue)
        }
        throw failure("no embedding for input \(missing) of \(inputs)")
    }
}
