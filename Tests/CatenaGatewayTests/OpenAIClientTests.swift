import Catena
import Foundation
import Testing

/// The gateway as the official `openai` Python client sees it (`bash scripts/python-clients.sh setup` installs it;
/// the test command sets `CATENA_PYTHON`), in front of the real local model server.
// Three minutes: the local model server answers slowly while the whole test run loads the machine.
@Suite(.timeLimit(.minutes(3)))
struct OpenAIClientTests {
    static let python = ProcessInfo.processInfo.environment["CATENA_PYTHON"]
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Scripts/openai_client.py")

    @Test(
        "models, plain and streamed chat and text completions and responses, and the errors, through the openai client",
        .enabled(
            if: python != nil && GatewayServerTests.model != nil,
            "set CATENA_PYTHON and CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func theOpenAIClientWorksAgainstTheGateway() async throws {
        let python = try #require(Self.python), model = try #require(GatewayServerTests.model)
        let embeddings = ProcessInfo.processInfo.environment["CATENA_EMBEDDINGS_BASE_URL"]
        let configuration = GatewayServerTests.configuration(baseURL: model).replacingOccurrences(
            of: "general_settings:",
            with: (embeddings.map {
                "  - model_name: embed\n    litellm_params: {model: hosted_vllm/local, api_base: \"\($0)\"}\n"
            } ?? "")
                + "general_settings:")
        try await RunningGateway.with(configuration) { gateway in
            let printed = try await Self.run(
                python, [Self.script.path, gateway.baseURL + "/v1", "sk-master"] + (embeddings == nil ? [] : ["embed"]))
            let seen = try JSONValue(parsing: printed)
            #expect(seen["models"]?[0] == "local")
            #expect(seen["plain"]?["role"] == "assistant")
            #expect((seen["plain"]?["completion_tokens"]?.intValue ?? 0) > 0)
            #expect((seen["stream"]?["chunks"]?.intValue ?? 0) > 1)
            #expect((seen["stream"]?["completion_tokens"]?.intValue ?? 0) > 0)
            #expect(seen["completion"]?["text"]?.stringValue?.isEmpty == false)
            #expect((seen["completion"]?["completion_tokens"]?.intValue ?? 0) > 0)
            #expect((seen["completion_stream"]?["chunks"]?.intValue ?? 0) > 1)
            #expect(seen["completion_stream"]?["text"]?.stringValue?.isEmpty == false)
            // max_output_tokens 8 stops SmolLM2 mid-answer: the response is "incomplete", as OpenAI's would be.
            #expect(["completed", "incomplete"].contains(seen["response"]?["status"]?.stringValue ?? ""))
            #expect(seen["response"]?["text"]?.stringValue?.isEmpty == false)
            #expect((seen["response"]?["output_tokens"]?.intValue ?? 0) > 0)
            #expect(seen["response_stream"]?["first"] == "response.created")
            #expect(
                ["response.completed", "response.incomplete"].contains(
                    seen["response_stream"]?["last"]?.stringValue ?? ""))
            #expect(seen["response_stream"]?["deltas"]?.stringValue?.isEmpty == false)
            #expect(seen["response_stream"]?["deltas"] == seen["response_stream"]?["text"])
            #expect((seen["response_stream"]?["output_tokens"]?.intValue ?? 0) > 0)
            #expect(seen["not_found"]?["status"] == 404)
            #expect(seen["bad_request"]?["param"] == "temperature")
            #expect(seen["unauthorized"] == 401)
            if embeddings != nil {
                #expect(seen["embeddings"]?["count"] == 2)
                #expect((seen["embeddings"]?["dimensions"]?.intValue ?? 0) > 0)
            }
        }
    }

    /// Runs a program on a thread of its own (not the concurrency pool's) and returns what it printed.
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: executable)
                        process.arguments = arguments
                        let output = Pipe()
                        process.standardOutput = output
                        try process.run()
                        let printed = output.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        guard process.terminationStatus == 0 else {
                            throw CocoaError(
                                .executableLoad,
                                userInfo: [
                                    NSLocalizedDescriptionKey: "\(executable) exited with \(process.terminationStatus)"
                                ])
                        }
                        return String(decoding: printed, as: UTF8.self)
                    })
            }
        }
    }
}
