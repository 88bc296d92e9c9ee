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
try await llm.shutdown()   // delivers every pending logging event, closes connections
