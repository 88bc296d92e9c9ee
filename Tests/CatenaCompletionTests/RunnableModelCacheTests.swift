import Catena
import CatenaTestServices
import CatenaOpenAI
import CatenaRedis
import CatenaSQLiteCache
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing

/// One cache protocol for runnable models and `completion`: a `ChatVLLM` in a chain shares a Redis cache across
/// replicas, or an SQLite file across processes, and a hit replays as a stream.
@Suite("Runnable models on the shared caches", .timeLimit(.minutes(1)))
struct RunnableModelCacheTests {
    /// Two replicas of `prompt | ChatVLLM | parser` on `cache`, each with its own client to the same server: the
    /// first answers from the server, the second from the cache, invoked and streamed.
    func expectSharedAnswers(_ makeCache: () throws -> any ResponseCache) async throws {
        try await withServer(answering("from the server")) { server in
            func replica() throws -> (ModelServerClient, ChatVLLM) {
                let client = ModelServerClient(.openAICompatible(baseURL: server.baseURL))
                return (client, ChatVLLM(client: client, model: "m", cache: try makeCache()))
            }
            func chain(_ model: ChatVLLM) -> some Runnable<[String: PromptValue], String> {
                ChatPromptTemplate([.user("{q}")]) | model | StringOutputParser()
            }
            let (firstClient, firstModel) = try replica()
            let (secondClient, secondModel) = try replica()
            let first = chain(firstModel), second = chain(secondModel)
            #expect(try await first.invoke(["q": "hi"]) == "from the server")
            #expect(try await second.invoke(["q": "hi"]) == "from the server")
            let recorder = RecordingCallbackHandler()
            let streamed = try await second.stream(["q": "hi"], config: .init(callbacks: [recorder])).collect()
            #expect(streamed == ["from the server"])
            #expect(
                recorder.hookNames.filter {
                    $0.hasPrefix("on_llm") || $0 == "on_cache_hit" || $0 == "on_chat_model_start"
                }
                    == ["on_chat_model_start", "on_cache_hit", "on_llm_new_token", "on_llm_end"])
            #expect(server.requests.count == 1)
            #expect(try await second.invoke(["q": "another question"]) == "from the server")
            #expect(server.requests.count == 2)
            try await firstClient.shutdown()
            try await secondClient.shutdown()
        }
    }

    @Test(.enabled(if: RedisServer.isAvailable, "redis-server is not installed"))
    func aRedisCacheIsSharedByReplicas() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        try await expectSharedAnswers { RedisResponseCache(port: redis.port, keyPrefix: "replicas:") }
    }

    @Test func anSQLiteFileIsSharedByModels() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catena-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await expectSharedAnswers { try SQLiteResponseCache(path: path) }
    }
}
