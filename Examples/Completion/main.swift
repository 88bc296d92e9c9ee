import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaSQLiteCache

// completion("provider/model") with a logging callback, cost and a persistent cache.
let llm = CompletionClient(cache: try SQLiteResponseCache(path: "completions.sqlite"))
llm.register(CompletionCallbacks(success: { p in
    let tokens = p.usage.map { "\($0.promptTokens) in / \($0.completionTokens) out" } ?? "no usage"
    print("[\(p.model): \(tokens), $\(p.responseCost ?? 0), \(p.cacheHit == true ? "cache hit" : "cache miss")]")
}))
let reply = try await llm.completion(
    model: "hosted_vllm/local", messages: [.user("Hi")],
    options: .init(parameters: .init(temperature: 0, maxTokens: 64), apiBase: "http://127.0.0.1:8089/v1"),
    metadata: ["team": "search"])
print(reply.text)
for try await chunk in llm.streamingCompletion(
    model: "hosted_vllm/local", messages: [.user("Hi")], options: .init(apiBase: "http://127.0.0.1:8089/v1")
) { print(chunk.text, terminator: "") }
print()
// Embeddings through the same layer: logged, costed and cached. They need the embeddings server on 8092
// (bash scripts/llm-server.sh start-embeddings); without it the call fails and says so.
do {
    let vectors = try await llm.embedding(
        model: "hosted_vllm/local", input: ["a cat", "a dog"], options: .init(apiBase: "http://127.0.0.1:8092/v1"))
    print("\(vectors.vectors.count) vectors, \(vectors.usage?.inputTokens ?? 0) tokens")
} catch {
    print("no embeddings: \(error)")
}
try await llm.shutdown()   // delivers every pending logging event, closes connections
