import Catena
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// Embeddings against the real llama.cpp server started with `--embeddings` (the test command starts one), and
/// the fault server for the answers it cannot give.
@Suite struct EmbeddingsTests {
    static let baseURL = ProcessInfo.processInfo.environment["CATENA_EMBEDDINGS_BASE_URL"]

    let documents = [
        "Bears eat honey and fish in the forest.", "Swift is a programming language by Apple.",
        "The stock market fell on Tuesday.", "Brown bears hibernate in winter.", "Compilers turn code into programs.",
    ]

    @Test(.enabled(if: baseURL != nil, "set CATENA_EMBEDDINGS_BASE_URL (bash scripts/test.sh does)"))
    func documentsAndQueriesEmbedInBatchesAgainstTheRealServer() async throws {
        let configuration = ModelServerConfiguration.openAICompatible(baseURL: try #require(Self.baseURL))
        try await ModelServerClient.withClient(configuration) { client in
            let embeddings = ProviderEmbeddings(
                provider: OpenAIEmbeddingProvider(client: client), model: "local", batchSize: 2)
            let vectors = try await embeddings.embedDocuments(documents)
            #expect(vectors.count == 5)
            #expect(Set(vectors.map(\.count)).count == 1 && vectors[0].count > 100)
            let query = try await embeddings.embedQuery(documents[3])
            #expect(zip(query, vectors[3]).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(try await embeddings.embedDocuments([]).isEmpty)

            let response = try await OpenAIEmbeddingProvider(client: client).embed(
                EmbeddingRequest(model: "local", inputs: ["a b c"]))
            #expect((response.usage?.inputTokens ?? 0) > 0 && response.model == "local")

            let retriever = try await EmbeddingRetriever.indexing(
                documents.map { Document(pageContent: $0) }, with: embeddings, limit: 2)
            let found = try await retriever.invoke("Which animals sleep through the winter?")
            #expect(found.count == 2)
            #expect(found.map(\.pageContent).contains(documents[3]))
            let scores = found.compactMap { $0.metadata["score"]?.doubleValue }
            #expect(scores.count == 2 && scores[0] >= scores[1])
        }
    }

    /// Runs `body` with embeddings over a fault server answering `body` to every request; returns the number of
    /// requests the server saw.
    @discardableResult
    func withAnswer(_ answer: [FaultServer.Action], _ body: (ProviderEmbeddings) async throws -> Void) async throws
        -> Int
    {
        try await withFaultServer(retry: instantRetry, { _, _ in answer }) { server, client in
            try await body(ProviderEmbeddings(provider: OpenAIEmbeddingProvider(client: client), model: "m"))
            return server.requests.count
        }
    }

    @Test func vectorsArePlacedByTheirIndex() async throws {
        let answer =
            #"{"data":[{"index":1,"embedding":[0,1]},{"index":0,"embedding":[1,0.5]}],"usage":{"prompt_tokens":2,"total_tokens":2}}"#
        try await withAnswer(FaultServer.json(200, answer)) { embeddings in
            let vectors = try await embeddings.embedDocuments(["a", "b"])
            #expect(vectors == [[1, 0.5], [0, 1]])
        }
    }

    @Test(arguments: [
        (#"{"data":[{"index":0,"embedding":[1]}]}"#, "no embedding for input 1"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":5,"embedding":[1]}]}"#, "index 5"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[1]}]}"#, "repeats"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":["x"]}]}"#, "not a number"),
        (#"{"object":"list"}"#, "data list"),
        (
            #"{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":[2]}],"usage":{"prompt_tokens":-3}}"#,
            "prompt_tokens"
        ),
    ])
    func anAnswerWithoutAVectorForEveryInputIsADecodingError(answer: String, reason: String) async throws {
        try await withAnswer(FaultServer.json(200, answer)) { embeddings in
            await #expect {
                try await embeddings.embedDocuments(["a", "b"])
            } throws: { error in
                guard case .decoding(_, let why) = error as? ModelServerError else { return false }
                return why.contains(reason)
            }
        }
    }

    @Test func aServerWithoutEmbeddingsSaysSoAtOnce() async throws {
        let answer =
            #"{"error":{"code":501,"message":"This server does not support embeddings. Start it with `--embeddings`","type":"not_supported_error"}}"#
        let requests = try await withAnswer(FaultServer.json(501, answer)) { embeddings in
            await #expect {
                try await embeddings.embedQuery("a")
            } throws: { error in
                guard case .server(501, let message) = error as? ModelServerError else { return false }
                return message.contains("--embeddings")
            }
        }
        #expect(requests == 1)  // 501 is not retried
    }

    @Test func cosineSimilarityNeverTrapsOrDividesByZero() {
        #expect(EmbeddingRetriever.cosine([1, 0], [1, 0]) == 1)
        #expect(EmbeddingRetriever.cosine([1, 0], [0, 1]) == 0)
        #expect(EmbeddingRetriever.cosine([0, 0], [1, 1]) == 0)
        #expect(EmbeddingRetriever.cosine([1], [1, 2]) == 0)
        #expect(EmbeddingRetriever.cosine([.greatestFiniteMagnitude], [.greatestFiniteMagnitude]) == 0)
    }
}
