import Catena
import CatenaTestServices
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Testing

/// `completion` and the router against the real local model server the test command starts.
@Suite("Completion with the local model", .enabled(if: LocalServers.isAvailable), .timeLimit(.minutes(3)))
struct LocalServerCompletionTests {
    @Test("hosted_vllm/local: a call and a stream with usage, zero cost, and one of each hook")
    func callAndStream() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let options = CompletionOptions(
            parameters: SamplingParameters(temperature: 0, maxTokens: 8, seed: 7), apiBase: LocalServers.baseURL)
        let response = try await llm.completion(
            model: "hosted_vllm/local", messages: [.user("Say hello.")], options: options)
        #expect(!response.text.isEmpty)
        let chunks = try await llm.streamingCompletion(
            model: "hosted_vllm/local", messages: [.user("Say hello.")], options: options
        ).collect()
        // Not compared with the plain call's text: the server batches concurrent requests, and a batch can change
        // a greedy answer.
        #expect(!chunks.map(\.text).joined().isEmpty)
        await llm.flush()
        let successes = recorder.payloads("success")
        #expect(successes.count == 2)
        #expect(successes.allSatisfy { ($0.usage?.completionTokens ?? 0) > 0 && $0.responseCost == 0 })
        #expect(recorder.payloads("post").count == 2)
        #expect(recorder.payloads("pre").count == 2)
        try await llm.shutdown()
    }

    @Test(
        "anthropic/… and …/responses/…: the other wire formats through completion, plain and streamed, in the OpenAI shape",
        arguments: ["anthropic/local", "hosted_vllm/responses/local"])
    func otherWireFormats(model: String) async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let options = CompletionOptions(
            parameters: SamplingParameters(temperature: 0, maxTokens: 8), apiBase: LocalServers.baseURL,
            apiKey: "sk-local")
        let response = try await llm.completion(
            model: model, messages: [.system("Be brief."), .user("Say hello.")], options: options)
        #expect(!response.text.isEmpty)
        #expect(response.object == "chat.completion" && response.model == "local")
        #expect(response.choices.first?.finishReason == "length" || model.contains("responses"))
        #expect((response.usage?.promptTokens ?? 0) > 0 && response.usage?.completionTokens == 8)
        let chunks = try await llm.streamingCompletion(
            model: model, messages: [.system("Be brief."), .user("Say hello.")], options: options
        ).collect()
        // Not compared with the plain call's text: the server batches concurrent requests, and a batch can change
        // a greedy answer.
        #expect(!chunks.map(\.text).joined().isEmpty)
        await llm.flush()
        #expect(recorder.hooks.filter { $0 != "chunk" } == ["pre", "post", "success", "pre", "post", "success"])
        let successes = recorder.payloads("success")
        #expect(
            successes.map(\.provider)
                == Array(repeating: model.hasPrefix("anthropic") ? "anthropic" : "hosted_vllm", count: 2))
        // The second call may read the server's prompt cache, so only the counts compare.
        let streamedUsage = successes.last?.completeStreamingResponse?.usage
        #expect(streamedUsage?.promptTokens == response.usage?.promptTokens)
        #expect(streamedUsage?.completionTokens == response.usage?.completionTokens)
        let body = try JSONValue(parsing: try #require(successes.first?.requestBody))
        if model.hasPrefix("anthropic") {
            #expect(body["system"] == "Be brief." && body["max_tokens"] == 8)
        } else {
            #expect(body["input"]?.arrayValue?.count == 2 && body["max_output_tokens"] == 8)
        }
        try await llm.shutdown()
    }

    @Test("a router over two real servers keeps answering when one is stopped mid-test")
    func routerSurvivesStoppedServer() async throws {
        let second = try await LocalServers.startSecond()
        defer { second.stop() }
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let parameters = SamplingParameters(temperature: 0, maxTokens: 4, seed: 7)
        let router = Router(
            client: llm,
            configuration: .init(
                deployments: [
                    RouterDeployment(
                        id: "primary", group: "local", model: "hosted_vllm/local",
                        options: .init(apiBase: LocalServers.baseURL, maxRetries: 0)),
                    RouterDeployment(
                        id: "second", group: "local", model: "hosted_vllm/local",
                        options: .init(apiBase: second.baseURL, maxRetries: 0)),
                ],
                strategy: .simpleShuffle, cooldown: .seconds(60)))
        for _ in 0..<4 {
            _ = try await router.completion(
                model: "local", messages: [.user("Hi")], options: .init(parameters: parameters, cache: .disabled))
        }
        second.stop()
        for _ in 0..<6 {
            let response = try await router.completion(
                model: "local", messages: [.user("Hi")], options: .init(parameters: parameters))
            #expect(!response.text.isEmpty)
        }
        await llm.flush()
        let successes = recorder.payloads("success")
        #expect(successes.count == 10)
        #expect(successes.suffix(6).allSatisfy { $0.routing?.deployment == "primary" })
        // At most one call hit the stopped server before it cooled down; its failure is logged.
        let failures = recorder.payloads("failure")
        #expect(failures.count <= 1)
        // A pooled connection the stop cut, or a new one refused.
        let lostOrRefused = ["ModelServerError.connection", "ModelServerError.cannotConnect"]
        #expect(
            failures.allSatisfy { $0.routing?.deployment == "second" && lostOrRefused.contains($0.error?.type ?? "") })
        try await llm.shutdown()
    }
}

/// The local model servers: the one the test command started, and a second one a test starts and stops itself.
enum LocalServers {
    static let baseURL = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]
    static var isAvailable: Bool { baseURL != nil }

    /// The repository root (for the server script and model set up by `scripts/llm-server.sh setup`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A second llama.cpp server on a free port.
    final class Server: Sendable {
        let port: Int
        let process: Process
        var baseURL: String { "http://127.0.0.1:\(port)/v1" }

        init(port: Int, process: Process) {
            self.port = port
            self.process = process
        }

        func stop() {
            process.killAndWait()
        }
    }

    /// Starts the second server on a random port below Linux's ephemeral range (32768 and up, where a loaded
    /// machine's outgoing connections take ports); a server that exits at once (its port taken) is tried again on
    /// another, as ``RedisServer`` does.
    static func startSecond() async throws -> Server {
        for _ in 0..<3 {
            let port = Int.random(in: 20_000..<32_000)
            let process = Process()
            process.executableURL = root.appendingPathComponent(".local/llm/venv/bin/python")
            process.arguments = [
                root.appendingPathComponent("scripts/llm_server.py").path,
                root.appendingPathComponent(".local/llm/SmolLM2-135M-Instruct.Q4_1.gguf").path, "\(port)", "--threads",
                "1",
                "--parallel", "2", "--ctx", "1024",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = Server(port: port, process: process)
            let probe = ModelServerClient(.openAICompatible(baseURL: server.baseURL))
            defer { Task { try? await probe.shutdown() } }
            for _ in 0..<300 {
                if (try? await probe.models()) != nil { return server }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            server.stop()
        }
        throw CompletionError.missingConfiguration(
            provider: "hosted_vllm", what: "a second local server (it did not start)")
    }
}
