import Catena
import CatenaCompletion
import CatenaDemoJob
import CatenaOpenAI
import Foundation

// What `bash scripts/demo.sh` runs: the README's main job, built from only what it uses (no gateway, no
// OpenTelemetry exporter, no command-line parser, so a fresh clone builds it quickly). It streams the answer of
// `prompt | chat model | parser` with the run tree, then asks completion("hosted_vllm/local") the same question
// twice with a cache: a miss, then a hit (in memory here; `catena complete` keeps its answers in SQLite). `catena-quickstart ["question"]`, against $CATENA_BASE_URL (the
// local server on 127.0.0.1:8089 by default). `catena demo` does the first part with every flag.

/// Writes `text` at once; a reader that went away ends the program quietly, as `cat` does.
func write(_ text: String) {
    do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch { exit(128 + SIGPIPE) }
}

let question = CommandLine.arguments.dropFirst().first ?? DemoJob.defaultQuestion
let baseURL = ProcessInfo.processInfo.environment["CATENA_BASE_URL"] ?? "http://127.0.0.1:8089/v1"
do {
    try await ModelServerClient.withClient(.openAICompatible(baseURL: baseURL)) { client in
        let model = ChatVLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 80))
        try await DemoJob.streamAnswer(to: question, from: model, write: write)
    }
    write("\ncompletion(\"hosted_vllm/local\") twice, with a cache:\n")
    let llm = CompletionClient(cache: InMemoryResponseCache(capacity: 100))
    llm.register(CompletionCallbacks(success: { write($0.summary + "\n") }, failure: { write($0.summary + "\n") }))
    for _ in 0..<2 {
        let reply = try await llm.completion(
            model: "hosted_vllm/local", messages: [.user(question)],
            options: .init(parameters: .init(temperature: 0, maxTokens: 40), apiBase: baseURL))
        await llm.flush()
        write(reply.text + "\n")
    }
    try await llm.shutdown()
} catch {
    try? FileHandle.standardError.write(contentsOf: Data("Error: \(error)\n".utf8))
    exit(1)
}
