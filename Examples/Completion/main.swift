import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaSQLiteCache

// completion("provider/model") with a logging callback, cost and a persistent cache.
let llm = CompletionClient(cache: try SQLiteResponseCache(path: "completions.sqlite"))
llm.register(CompletionCallbacks(success: { p in print(p.model, p.usage as Any, p.responseCost ?? 0, p.cacheHit ?? false) }))
let reply = try await llm.completion(
    model: "hosted_vllm/local", messages: [.user("Hi")],
    options: .init(parameters: .init(temperature: 0, maxTokens: 64), apiBase: "http://127.0.0.1:8089/v1"),
    metadata: ["team": "search"])
print(reply.text)
for try await chunk in llm.streamingCompletion(
    model: "hosted_vllm/local", messages: [.user("Hi")], options: .init(apiBase: "http://127.0.0.1:8089/v1")
) { print(chunk.text, terminator: "") }
// Embeddings through the same layer: logged, costed and cached (the local embeddings server listens on 8092).
let vectors = try await llm.embedding(
    model: "hosted_vllm/local", input: ["a cat", "a dog"], options: .init(apiBase: "http://127.0.0.1:8092/v1"))
print(vectors.vectors.count, vectors.usage?.inputTokens ?? 0)
try await llm.shutdown()   // delivers every pending logging event, closes connections
