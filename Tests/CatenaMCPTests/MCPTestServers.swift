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
        try await using(try await MCPConnection.connect(stdio(name: name, timeout: timeout), clock: clock), body)
    }

    /// Waits until something sleeps on `clock` (a request's timeout started).
    static func waitForSleeper(on clock: ManualClock) async throws {
        while clock.sleeping == 0 { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// The tools server over streamable HTTP on a free port (the server binds port 0 and says which it got, so no
    /// other test's server can be on it), until `body` returns.
    static func withHTTP<T>(_ body: (MCPConnection) async throws -> T) async throws -> T {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/python3")
        process.arguments = [script, "--http", "0"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.killAndWait() }
        let reader = output.fileHandleForReading
        // Read off the cooperative pool: the line comes once the server listens.
        let line = await Task.detached { String(decoding: reader.availableData, as: UTF8.self) }.value
        let port = try #require(
            line.split(separator: "\n").first.flatMap { Int($0.replacingOccurrences(of: "listening on ", with: "")) },
            "the server said \(line.debugDescription)")
        let connection = try await MCPConnection.connect(
            MCPServerConfiguration(
                name: "remote", transport: .http(URL(string: "http://127.0.0.1:\(port)/mcp")!), timeout: .seconds(10)))
        return try await using(connection, body)
    }

    /// `body`'s result with `connection`, which is closed afterwards, also when `body` throws.
    private static func using<T>(_ connection: MCPConnection, _ body: (MCPConnection) async throws -> T) async throws
        -> T
    {
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
