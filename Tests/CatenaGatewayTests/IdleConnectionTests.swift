import AsyncHTTPClient
import Catena
import CatenaTestServices
@testable import CatenaGateway
import Logging
import CatenaTestingServer
import Foundation
import Testing

/// Client connections that never send a request: they are closed after `client_idle_timeout`, at most
/// `max_connections` are open at once (with a warning at the cap), and `/health` keeps answering.
@Suite(.timeLimit(.minutes(3)))
struct IdleConnectionTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Scripts/hold_connections.py")

    @Test(
        "20,000 idle connections neither exhaust the gateway's files nor stop /health answering",
        .enabled(if: OpenAIClientTests.python != nil, "set CATENA_PYTHON (bash scripts/test.sh does)"))
    func twentyThousandIdleConnections() async throws {
        let python = try #require(OpenAIClientTests.python)
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).log").path
        let gateway = try await GatewayProcess.start(
            """
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: "\(upstream.baseURL)", max_retries: 0}
            general_settings:
              max_connections: 2000
              client_idle_timeout: 1
            """, log: log)
        let port = try #require(URL(string: gateway.baseURL)?.port)
        // Two holders of 10,000 each: one process may not have more files open than the limit (20,000 here).
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let holders = try (0..<2).map { _ in
            try ConnectionHolder(python: python, script: Self.script.path, port: port, count: 10_000)
        }
        // Asked while the connections pour in (opening 20,000 takes the holders several seconds), then once all are held.
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        let during = try await gateway.client(http).send("/health", key: nil, timeout: .seconds(90))
        #expect(during.status == 200)
        print("/health answered after \(ContinuousClock.now - started) while 20,000 idle connections were opened")
        var connected = 0
        for holder in holders { connected += await holder.connected() }
        #expect(connected == 20_000)
        let health = try await gateway.client(http).send("/health", key: nil, timeout: .seconds(90))
        #expect(health.status == 200)
        let chat = try await gateway.client(http).send(
            "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#, key: nil,
            timeout: .seconds(90))
        #expect(chat.status == 200)

        for holder in holders { await holder.release() }
        try await http.shutdown()
        #expect(try await gateway.terminate() == 0)
        try await upstream.shutdown()
        try? FileManager.default.removeItem(atPath: log)
    }

    @Test(
        "at the connection cap the gateway says so, and accepts again once connections close",
        .enabled(if: OpenAIClientTests.python != nil, "set CATENA_PYTHON (bash scripts/test.sh does)"))
    func theCapIsLoggedAndReleased() async throws {
        let python = try #require(OpenAIClientTests.python)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).log").path
        let gateway = try await GatewayProcess.start(
            """
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: "http://127.0.0.1:9/v1"}
            general_settings:
              max_connections: 50
              client_idle_timeout: 60
            """, log: log)
        let port = try #require(URL(string: gateway.baseURL)?.port)
        let holder = try ConnectionHolder(python: python, script: Self.script.path, port: port, count: 60)
        #expect(await holder.connected() == 60)
        // The warning comes once the gateway has accepted its 50th (the test's time limit bounds the wait).
        while !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(
            "the cap (general_settings.max_connections)")
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        await holder.release()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        #expect(try await gateway.client(http).send("/health", key: nil, timeout: .seconds(30)).status == 200)
        try await http.shutdown()
        #expect(try await gateway.terminate() == 0)
        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(logged.contains("client connections below the cap again"), "\(logged.suffix(2_000))")
        try? FileManager.default.removeItem(atPath: log)
    }

    @Test func theCapStopsAcceptingAtItsMaximumAndDefaultsBelowTheOpenFileLimit() {
        var cap = ConnectionCap(maximum: 3, logger: Logger(label: "test"))
        for _ in 0..<3 {
            #expect(cap.isAcceptingNewConnections())
            cap.connectionOpened()
        }
        #expect(!cap.isAcceptingNewConnections())
        cap.connectionClosed()
        #expect(cap.isAcceptingNewConnections())
        let byDefault = ConnectionCap(maximum: nil, logger: Logger(label: "test"))
        #expect(byDefault.maximum < ConnectionCap.openFileLimit())
    }
}

/// A Python process holding connections open to the gateway until released.
private final class ConnectionHolder: Sendable {
    private let process: Process
    private let input = Pipe()
    private let output = Pipe()

    init(python: String, script: String, port: Int, count: Int) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "127.0.0.1", String(port), String(count)]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// How many connections were established (once every attempt finished).
    func connected() async -> Int { Int(await output.firstLine().trimmingCharacters(in: .whitespaces)) ?? 0 }

    /// Closes the connections: ends the process (SIGTERM), without holding a thread of the test run while it ends.
    func release() async {
        if (try? await process.terminateAndWait()) == -1 { process.killAndWait() }
    }
}
