import Catena
import CatenaMCP
import Foundation

/// A tool call's round trip to a Python MCP server (`Tests/CatenaMCPTests/Servers/tools_server.py`) over stdio and
/// over streamable HTTP, to run beside `scripts/mcp-client-bench.py`: the official Python client calling the same
/// tool of the same server. The server's Python is `$CATENA_PYTHON`, or the test command's environment.
nonisolated func runMCPBenchmarks() async throws -> [Row] {
    let python =
        ProcessInfo.processInfo.environment["CATENA_PYTHON"] ?? ".local/python-clients/venv/bin/python"
    let script = "Tests/CatenaMCPTests/Servers/tools_server.py"
    let stdio = try await MCPConnection.connect(
        MCPServerConfiguration(name: "tools", transport: .stdio([python, script])))
    guard let echo = try await stdio.tools().first(where: { $0.name == "echo" }) else {
        throw BenchError("the tools server has no echo tool")
    }
    let calls = 500
    let direct = try await echoCalls(on: stdio, "MCP tool call over stdio (echo), round trip, per call", calls)
    let asTool = try await measure("MCP tool call as a traced Catena tool run (echo), per call", operations: calls) {
        for _ in 0..<calls { _ = try await echo.invoke(["text": "hi"]) }
    }
    await stdio.close()

    let port = 18_195
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, "--http", "\(port)", "--json"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { kill(process.processIdentifier, SIGKILL) }
    let http = try await connectWhenListening(
        MCPServerConfiguration(name: "tools", transport: .http(URL(string: "http://127.0.0.1:\(port)/mcp")!)))
    let overHTTP = try await echoCalls(
        on: http, "MCP tool call over streamable HTTP (echo, JSON answers), round trip, per call", calls)
    await http.close()
    return [direct, asTool, overHTTP]
}

/// `calls` calls of the echo tool, measured.
private func echoCalls(on connection: MCPConnection, _ name: String, _ calls: Int) async throws -> Row {
    try await measure(name, operations: calls) {
        for _ in 0..<calls { _ = try await connection.call("echo", arguments: ["text": "hi"]) }
    }
}

/// A connection to a server that is starting: tried every 100 ms for 10 s.
private func connectWhenListening(_ configuration: MCPServerConfiguration) async throws -> MCPConnection {
    for _ in 0..<100 {
        if let connection = try? await MCPConnection.connect(configuration) { return connection }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await MCPConnection.connect(configuration)
}
