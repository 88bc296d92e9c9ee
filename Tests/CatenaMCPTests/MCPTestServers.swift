import CatenaMCP
import CatenaTestServices
import CatenaTesting
import Foundation
import Testing

/// The Python MCP servers the tests talk to (`Servers/tools_server.py`, on PyPI's `mcp`), run with the test
/// command's Python (`CATENA_PYTHON`, which has `mcp` installed).
enum MCPTestServers {
    static let python = ProcessInfo.processInfo.environment["CATENA_PYTHON"]
    /// The local model server the test command starts.
    static let llm = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Servers/tools_server.py").path

    /// Skips a test when there is no Python with `mcp`.
    static let available = Testing.ConditionTrait.enabled(
        if: python != nil, "set CATENA_PYTHON (bash scripts/test.sh does)")

    /// The tools server over stdio.
    static func stdio(name: String = "tools", timeout: Duration = .seconds(30)) -> MCPServerConfiguration {
        MCPServerConfiguration(name: name, transport: .stdio([python ?? "python3", script]), timeout: timeout)
    }

    /// Connects to the tools server over stdio (its requests' timeouts measured on `clock`), runs `body`, and closes
    /// the connection.
    static func withStdio<T>(
        name: String = "tools", timeout: Duration = .seconds(30), clock: any Clock<Duration> = ContinuousClock(),
        _ body: (MCPConnection) async throws -> T
    ) async throws -> T {
        let connection = try await MCPConnection.connect(stdio(name: name, timeout: timeout), clock: clock)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Waits until something sleeps on `clock` (a request's timeout started).
    static func waitForSleeper(on clock: ManualClock) async throws {
        while clock.sleeping == 0 { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// The tools server over streamable HTTP on a free port, until `body` returns.
    static func withHTTP<T>(_ body: (MCPConnection) async throws -> T) async throws -> T {
        let port = Int.random(in: 30_000..<40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/python3")
        process.arguments = [script, "--http", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.killAndWait() }
        let configuration = MCPServerConfiguration(
            name: "remote", transport: .http(URL(string: "http://127.0.0.1:\(port)/mcp")!), timeout: .seconds(10))
        // The server takes a moment to listen.
        var attempts = 0
        while true {
            do {
                let connection = try await MCPConnection.connect(configuration)
                let result = try await body(connection)
                await connection.close()
                return result
            } catch let error as MCPServerError where attempts < 100 && process.isRunning {
                if case .unreachable = error.reason {} else if case .failed = error.reason {} else { throw error }
                attempts += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
