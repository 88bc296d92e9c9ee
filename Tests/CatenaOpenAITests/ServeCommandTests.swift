import CatenaTestServices
import CatenaTestingServer
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `catena serve` as a user runs it: a configuration mistake is named, and SIGTERM ends it gracefully.
@Suite("catena serve", .timeLimit(.minutes(1)))
struct ServeCommandTests {
    /// Writes `text` to a new temporary file and returns its path.
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aConfigurationMistakeIsNamedWithItsLineAndKey() async throws {
        let path = try file("model_list:\n  - model_name: local\n    litellm_params: {model: hosted_vllm/local, apibase: x}\n")
        let run = try await CLITests().catena(["serve", "--config", path, "--port", "0"])
        #expect(run.status != 0)
        #expect(run.errors.contains("\(path):3: model_list[0].litellm_params.apibase: unknown key 'apibase'"), "\(run.errors)")
    }

    @Test func itAnswersThenEndsGracefullyOnSIGTERM() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).sqlite").path
        let path = try file("""
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: "\(upstream.baseURL)"}
            general_settings: {master_key: os.environ/TEST_MASTER_KEY, database_path: "\(database)"}
            """)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["serve", "--config", path, "--port", "0"]
        process.environment = ["TEST_MASTER_KEY": "sk-test-master"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = await output.firstLine()
        let base = try #require(line.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/v1/).map { String($0.output) }, "\(line)")

        var request = URLRequest(url: try #require(URL(string: base + "/chat/completions")))
        request.httpMethod = "POST"
        request.setValue("Bearer sk-test-master", forHTTPHeaderField: "authorization")
        request.httpBody = Data(#"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")

        let stopping = ContinuousClock.now
        process.terminate()  // SIGTERM
        while process.isRunning && ContinuousClock.now - stopping < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        try await upstream.shutdown()
    }
}
