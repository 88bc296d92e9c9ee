import CatenaTestingServer
import Foundation
import Synchronization
import Testing
import CatenaTestServices

/// The built `catena` binary, run as a user runs it.
@Suite("catena command line", .timeLimit(.minutes(1)))
struct CLITests {
    /// Runs `catena arguments…` (see ``CatenaCommand/run(_:under:environment:outputClosed:)``).
    func catena(
        _ arguments: [String], under wrapper: [String] = [], environment: [String: String] = [:],
        outputClosed: Bool = false
    ) async throws -> CatenaCommand.Run {
        try await CatenaCommand.run(arguments, under: wrapper, environment: environment, outputClosed: outputClosed)
    }

    /// A bound on a whole `catena` process that fails to connect: below the client's 10-second connect timeout, so a
    /// run that waited for it fails the test, with room for launching the process on a loaded 2-core CI machine (3.3 s
    /// seen there; about 0.3 s alone). How fast the failure itself is, is measured in-process (`ConnectionFailureTests`).
    static let failsBeforeConnectTimeout = Duration.seconds(8)

    @Test(
        "a refused connection fails at once, not after the connect timeout, naming the URL and how to start the local server"
    )
    func refusedConnection() async throws {
        let server = try await FaultServer.start { _, _ in [] }
        let url = server.baseURL
        try await server.shutdown()
        let run = try await catena(["chat", "Hi", "--base-url", url])
        #expect(run.status != 0)
        #expect(run.duration < Self.failsBeforeConnectTimeout)
        #expect(run.errors.contains("cannot connect to \(url)"), "\(run.errors)")
        #expect(run.errors.contains("bash scripts/llm-server.sh start"))
    }

    /// Whether this process may run a command in a network namespace of its own (`unshare --net`, as root).
    static let canIsolateNetwork: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["--net", "true"]
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    @Test(
        "a host that does not resolve fails at once, named, in a network namespace with no way out",
        .enabled(if: canIsolateNetwork, "needs unshare --net (root)"))
    func unknownHost() async throws {
        let run = try await catena(
            ["chat", "Hi", "--base-url", "http://catena-test.invalid/v1"], under: ["/usr/bin/unshare", "--net"])
        #expect(run.status != 0)
        #expect(run.duration < Self.failsBeforeConnectTimeout)
        #expect(run.errors.contains("cannot connect to http://catena-test.invalid/v1"), "\(run.errors)")
        #expect(run.errors.contains("host catena-test.invalid not found: check the URL"))
    }

    @Test("a base URL without a scheme is refused before any request, under the chat command's usage")
    func invalidURL() async throws {
        let server = try await FaultServer.start { _, _ in FaultServer.json(200, "{}") }
        defer { Task { try? await server.shutdown() } }
        let run = try await catena(["chat", "Hi", "--base-url", "127.0.0.1:\(server.port)/v1"])
        #expect(run.status == 64)
        #expect(run.errors.contains("not an http:// or https:// URL"), "\(run.errors)")
        #expect(run.errors.contains("Usage: catena chat"))
        #expect(server.requests.isEmpty)
    }

    @Test(
        "each bad argument prints its reason and the chat command's usage",
        arguments: [
            (["--max-tokens", "0"], "--max-tokens must be at least 1"),
            (["--max-tokens=-5"], "--max-tokens must be at least 1"),
            (["--extra", "nojson"], "--extra expects KEY=JSON"),
            (["--logit-bias", "50256"], "--logit-bias expects TOKEN=BIAS"),
            (
                ["--chat-template", "/nonexistent/template.jinja"],
                "cannot read the --chat-template file /nonexistent/template.jinja: no such file"
            ),
            (["--timeout", "1e30"], "--timeout must be a number of seconds"),
            ([], "the prompt is empty"),
        ])
    func badArguments(flags: [String], reason: String) async throws {
        let run = try await catena(["chat"] + (flags.isEmpty ? [" "] : ["Hi"] + flags))
        #expect(run.status == 64)
        #expect(run.errors.contains(reason), "\(run.errors)")
        #expect(run.errors.contains("Usage: catena chat"))
        #expect(!run.errors.contains("NSCocoaErrorDomain"))
    }

    @Test("batch: a failed prompt fails alone, the exit status says so, and a redirected stderr gets no escape codes")
    func batchWithAFailure() async throws {
        let server = try await FaultServer.start { request, _ in
            request.text.contains("fail me")
                ? FaultServer.json(400, #"{"error":{"message":"refused prompt"}}"#)
                : FaultServer.json(200, completionBody("fine"))
        }
        defer { Task { try? await server.shutdown() } }
        let prompts = FileManager.default.temporaryDirectory.appendingPathComponent("catena-batch-\(UUID()).txt")
        try "say hi\nfail me\nsay bye\n".write(to: prompts, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: prompts) }
        let run = try await catena(["batch", prompts.path, "--base-url", server.baseURL])
        #expect(run.status == 1)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.filter { $0.contains(#""answer":"fine""#) }.count == 2)
        #expect(
            lines.allSatisfy { $0.hasPrefix(#"{"index":"#) && $0.contains(#","prompt":"#) },
            "keys in the order the help shows")
        #expect(lines.filter { $0.contains("refused prompt") }.count == 1)
        #expect(run.errors.contains("1 of 3 failed"), "\(run.errors)")
        #expect(!run.errors.contains("\u{1B}"))
    }

    @Test(
        "a closed standard output ends each command quietly, as cat does",
        arguments: [
            ["chat", "Hi"], ["chat", "Hi", "--no-stream"], ["events", "Hi"], ["complete", "Hi", "--no-cache"],
            ["batch"],
        ])
    func closedOutput(command: [String]) async throws {
        let server = try await FaultServer.start { request, _ in
            guard request.text.contains(#""stream":true"#) else { return FaultServer.json(200, completionBody("fine")) }
            return [.head(200, FaultServer.sse)]
                + (0..<50).flatMap { _ in [FaultServer.chunk("word "), .delay(.milliseconds(5))] }
                + [FaultServer.event("[DONE]"), .end]
        }
        defer { Task { try? await server.shutdown() } }
        let prompts = FileManager.default.temporaryDirectory.appendingPathComponent("catena-pipe-\(UUID()).txt")
        try "say hi\nsay bye\n".write(to: prompts, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: prompts) }
        let arguments = command + (command == ["batch"] ? [prompts.path] : []) + ["--base-url", server.baseURL]
        let run = try await catena(arguments, outputClosed: true)
        #expect(run.status == 141, "\(run.errors)")
        #expect(!run.errors.contains("Fatal error") && !run.errors.contains("Broken pipe"), "\(run.errors)")
    }

    @Test(
        "an error found while a command runs is named without the root command's usage",
        arguments: [["serve", "--config", "/nonexistent/gateway.yaml"], ["batch", "/nonexistent/prompts.txt"]])
    func runtimeErrorWithoutRootUsage(arguments: [String]) async throws {
        let run = try await catena(arguments)
        #expect(run.status == 1)
        #expect(run.errors.hasPrefix("Error: ") && run.errors.contains("/nonexistent/"), "\(run.errors)")
        #expect(!run.errors.contains("Usage: catena <subcommand>"), "\(run.errors)")
    }

    @Test("complete caches answers by default only at temperature 0, where they are deterministic")
    func completeCachesOnlyDeterministicAnswers() async throws {
        let server = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("fine")) }
        defer { Task { try? await server.shutdown() } }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("catena-cache-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        func complete(_ extra: [String]) async throws -> CatenaCommand.Run {
            try await catena(["complete", "Hi", "--base-url", server.baseURL, "--cache", cache] + extra)
        }
        for _ in 0..<2 { #expect(try await complete([]).status == 0) }  // the default temperature, 0.2
        #expect(server.requests.count == 2)
        for _ in 0..<2 { #expect(try await complete(["--temperature", "0"]).status == 0) }
        #expect(server.requests.count == 3)
        for _ in 0..<2 { #expect(try await complete(["--cache-any-temperature"]).status == 0) }
        #expect(server.requests.count == 4)
    }

    @Test("--version prints the version; chat --help groups its options")
    func versionAndHelp() async throws {
        let run = try await catena(["--version"])
        #expect(run.status == 0)
        #expect(run.output.split(separator: ".").count == 3)
        let help = try await catena(["chat", "--help"]).output
        #expect(
            ["SERVER:", "SAMPLING:", "VLLM SAMPLING AND PASS-THROUGH:", "OPTIONS:"].allSatisfy(help.contains), "\(help)"
        )
    }

    @Test(
        "complete: the payload alone goes to standard output for jq, with times to the microsecond; events use snake_case usage keys"
    )
    func payloadAndEvents() async throws {
        let server = try await FaultServer.start { request, _ in
            guard request.text.contains(#""stream":true"#) else { return FaultServer.json(200, completionBody("fine")) }
            return [
                .head(200, FaultServer.sse), FaultServer.chunk("fine"),
                FaultServer.event(
                    #"{"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        defer { Task { try? await server.shutdown() } }
        let completed = try await catena([
            "complete", "Hi", "--base-url", server.baseURL, "--no-cache", "--payload-to", "-",
        ])
        #expect(completed.status == 0, "\(completed.errors)")
        #expect(completed.errors.contains("fine\n"), "\(completed.errors)")
        let payload = try JSONSerialization.jsonObject(with: Data(completed.output.utf8)) as? [String: Any]
        let start = try #require(payload?["start_time"] as? String)
        #expect(start.contains("."), "\(start)")
        let events = try await catena(["events", "Hi", "--base-url", server.baseURL])
        #expect(events.status == 0, "\(events.errors)")
        #expect(events.output.contains(#""input_tokens":5"#))
        #expect(!events.output.contains("inputTokens"))
    }

    @Test("interactive chat: Ctrl-C cancels the answer being streamed and returns to the prompt, keeping the history")
    func interruptingAnAnswer() async throws {
        let server = try await FaultServer.start { _, index in
            let slow: [FaultServer.Action] = (0..<200).flatMap { _ in
                [FaultServer.chunk("tick "), .delay(.milliseconds(20))]
            }
            return index == 0
                ? [.head(200, FaultServer.sse)] + slow + [.end]
                : [.head(200, FaultServer.sse), FaultServer.chunk("bye"), FaultServer.event("[DONE]"), .end]
        }
        defer { Task { try? await server.shutdown() } }
        let process = Process()
        process.executableURL = CatenaCommand.binary
        process.arguments = ["chat", "--base-url", server.baseURL]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let printed = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            printed.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        func waitFor(_ text: String, count: Int = 1) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while printed.withLock({ $0.components(separatedBy: text).count - 1 }) < count,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        input.fileHandleForWriting.write(Data("Hi\n".utf8))
        try await waitFor("tick")
        process.interrupt()
        try await waitFor("> ", count: 2)
        input.fileHandleForWriting.write(Data("Bye\n".utf8))
        try await waitFor("bye")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        #expect(printed.withLock { $0.hasSuffix("\n") })
        let reported = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(reported.contains("[answer cancelled]"), "\(reported)")
        #expect(server.requests.count == 2)
        // The cancelled turn is not in the history the next question carries.
        let second = server.requests.last?.text ?? ""
        #expect(second.contains("Bye") && !second.contains("tick") && !second.contains("Hi"), "\(second)")
    }

    @Test("an answer cut off by --max-tokens says so")
    func cutOffAnswer() async throws {
        let server = try await FaultServer.start { _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("Once upon"),
                FaultServer.event(#"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        defer { Task { try? await server.shutdown() } }
        let run = try await catena(["chat", "Tell a story", "--base-url", server.baseURL, "--max-tokens", "2"])
        #expect(run.status == 0)
        #expect(run.output == "Once upon\n")
        #expect(run.errors.contains("cut off at --max-tokens 2"), "\(run.errors)")
    }
}
