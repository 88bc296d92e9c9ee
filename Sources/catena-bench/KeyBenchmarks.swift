import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaSoak

/// Memory with a key of its own on every call, as a gateway or an app passing its users' keys makes them: 10,000
/// `completion()` calls against a loopback server, each with a distinct API key, 16 at a time. Resident memory is
/// read after the first 1,000 calls and after all: with one connection pool per process (not one per key), it stays
/// flat.
nonisolated func runKeyBenchmarks() async throws -> [Row] {
    let upstream = try await FixedResponseServer.start(chunks: 1)
    let llm = CompletionClient(providers: ProviderRegistry([ModelServerProvider.openAI(environment: [:])]))
    let calls = 10_000, concurrency = 16
    var afterWarmUp = 0.0
    for start in stride(from: 0, to: calls, by: concurrency) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in start..<min(start + concurrency, calls) {
                group.addTask {
                    let options = CompletionOptions(apiBase: upstream.baseURL, apiKey: Secret("sk-user-\(index)"))
                    _ = try await llm.completion(model: "openai/fake", messages: [.user("hi")], options: options)
                }
            }
            try await group.waitForAll()
        }
        if start + concurrency == 1_008 { afterWarmUp = ResidentMemory.currentKiB }
    }
    let after = ResidentMemory.currentKiB
    try await llm.shutdown()
    try await upstream.shutdown()
    let growth = (after - afterWarmUp) / 1_024
    return [
        Row(
            operation: "\(calls) calls, a key each: resident memory after them", median: after / 1_024,
            min: after / 1_024, max: after / 1_024, unit: "MiB",
            note: "after the first 1,008: \(Int(afterWarmUp / 1_024)) MiB"),
        Row(
            operation: "growth over the last 8,992 keys", median: growth, min: growth, max: growth, unit: "MiB",
            note: "one connection pool for every key"),
    ]
}
