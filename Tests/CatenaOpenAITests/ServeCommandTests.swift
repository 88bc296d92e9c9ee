import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `catena serve` as a user runs it: a configuration mistake is named, and SIGTERM ends it gracefully.
// Three minutes: the local model server answers slowly while the whole test run loads the machine.
@Suite("catena serve", .timeLimit(.minutes(3)))
struct ServeCommandTests {
    /// Writes `text` to a new temporary file and returns its path.
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).yaml")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aConfigurationMistakeIsNamedWithItsLineAndKey() async throws {
        let path = try file(
            "model_list:\n  - model_name: local\n    litellm_params: {model: hosted_vllm/local, apibase: x}\n")
        let run = try await CatenaCommand.run(["serve", "--config", path, "--port", "0"])
        #expect(run.status != 0)
        #expect(
            run.errors.contains("\(path):3: model_list[0].litellm_params.apibase: unknown key 'apibase'"),
            "\(run.errors)")
    }

    /// Starts `catena serve` with the configuration `yaml` and `arguments`; returns the process and its base URL.
    func serve(
        _ yaml: String, _ arguments: [String] = [], environment: [String: String] = [:], directory: URL? = nil,
        errors: Pipe? = nil
    ) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = CatenaCommand.binary
        process.arguments = ["serve", "--config", try file(yaml), "--port", "0"] + arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        // Never the test run's own output: a child left running after a failed test would hold it open, and the
        // run would not end.
        process.standardInput = FileHandle.nullDevice
        process.standardError = errors ?? FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = await output.firstLine()
        let base = try #require(
            line.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/v1/).map { String($0.output) }, "\(line)")
        return (process, base)
    }

    /// Posts `body` to `url` with the bearer `key`; returns the status and body.
    func post(_ url: String, _ body: String, key: String) async throws -> (Int, String) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "authorization")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func itAnswersThenEndsGracefullyOnSIGTERM() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).sqlite")
            .path
        let yaml = """
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: "\(upstream.baseURL)"}
            general_settings: {master_key: os.environ/TEST_MASTER_KEY, database_path: "\(database)"}
            """
        let (process, base) = try await serve(yaml, environment: ["TEST_MASTER_KEY": "sk-test-master"])
        let (status, text) = try await post(
            base + "/chat/completions", #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#,
            key: "sk-test-master")
        #expect(status == 200, "\(text)")
        #expect(try await process.terminateAndWait() == 0)
        try await upstream.shutdown()
    }

    @Test(
        "keys live in the user's data folder by default; a database an earlier version left in the working directory is still used, with a warning"
    )
    func defaultDatabaseLocation() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("serve-home-\(UUID().uuidString)")
        let work = home.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let yaml = """
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: "\(upstream.baseURL)"}
            general_settings: {master_key: sk-test-master}
            """
        let environment = ["HOME": home.path, "XDG_DATA_HOME": home.appendingPathComponent("data").path]
        let chat = #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#

        let (first, base) = try await serve(yaml, environment: environment, directory: work)
        let (status, made) = try await post(base.dropLast("/v1".count) + "/key/generate", "{}", key: "sk-test-master")
        #expect(status == 200, "\(made)")
        let key = try #require(made.firstMatch(of: /"key":"(sk-[^"]+)"/).map { String($0.output.1) })
        #expect(try await first.terminateAndWait() == 0)
        let data = home.appendingPathComponent("data/catena")
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("gateway.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("catena-gateway.sqlite").path))

        // The file where an earlier version kept it by default: still used, with a warning naming where it belongs.
        for suffix in ["", "-wal", "-shm"]
        where FileManager.default.fileExists(atPath: data.path + "/gateway.sqlite" + suffix) {
            try FileManager.default.moveItem(
                atPath: data.path + "/gateway.sqlite" + suffix, toPath: work.path + "/catena-gateway.sqlite" + suffix)
        }
        let errors = Pipe()
        let (second, again) = try await serve(yaml, environment: environment, directory: work, errors: errors)
        let (answered, text) = try await post(again + "/chat/completions", chat, key: key)
        #expect(answered == 200, "\(text)")
        #expect(try await second.terminateAndWait() == 0)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            log.contains("using ./catena-gateway.sqlite")
                && log.contains(data.appendingPathComponent("gateway.sqlite").path), "\(log)")
        try await upstream.shutdown()
    }

    @Test(
        "with --otlp-endpoint, each call through the gateway is a span in Arize Phoenix",
        .enabled(
            if: PhoenixTests.phoenix != nil && PhoenixTests.model != nil,
            "set CATENA_PHOENIX_URL and CATENA_LLM_BASE_URL"))
    func callsReachPhoenix() async throws {
        let phoenix = try #require(PhoenixTests.phoenix), model = try #require(PhoenixTests.model)
        let (process, base) = try await serve(
            "model_list:\n  - model_name: local\n    litellm_params: {model: hosted_vllm/local, api_base: \"\(model)\"}\n",
            ["--otlp-endpoint", phoenix, "--otlp-signals", "traces"])
        defer { process.killAndWait() }
        // A max_tokens of this run's own marks its span among those Phoenix holds.
        let marker = Int.random(in: 1_000...1_000_000)
        let (status, text) = try await post(
            base + "/chat/completions",
            #"{"model":"local","messages":[{"role":"user","content":"Say hi."}],"max_tokens":\#(marker)}"#, key: "none")
        #expect(status == 200, "\(text)")
        #expect(try await process.terminateAndWait() == 0)  // flushes the spans

        var span: PhoenixTests.Span?
        for _ in 0..<100 where span == nil {
            span = try await PhoenixTests().readSpans(at: phoenix).first {
                $0.attributes["gen_ai.request.max_tokens"]?.intValue == marker
            }
            if span == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let call = try #require(span, "no span of the gateway's call in Phoenix")
        #expect(call.span_kind == "LLM")
        #expect(call.attributes["gen_ai.operation.name"] == "chat")
        #expect((call.attributes["gen_ai.usage.output_tokens"]?.intValue ?? 0) > 0)
    }
}
