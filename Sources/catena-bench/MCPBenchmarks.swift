import Catena
import CatenaMCP
import Foundation

/// A tool call's round trip to a Python MCP server over stdio (`Tests/CatenaMCPTests/Servers/tools_server.py`), to
/// run beside `scripts/mcp-client-bench.py`: the official Python client calling the same tool of the same server.
/// The server's Python is `$CATENA_PYTHON`, or the test command's environment.
nonisolated func runMCPBenchmarks() async throws -> [Row] {
    let python =
        ProcessInfo.processInfo.environment["CATENA_PYTHON"] ?? ".local/python-clients/venv/bin/python"
    let server = MCPServerConfiguration(
        name: "tools", transport: .stdio([python, "Tests/CatenaMCPTests/Servers/tools_server.py"]))
    let connection = try await MCPConnection.connect(server)
    guard let echo = try await connection.tools().first(where: { $0.name == "echo" }) else {
        throw BenchError("the tools server has no echo tool")
    }
    let calls = 500
    let direct = try await measure("MCP tool call over stdio (echo), round trip, per call", operations: calls) {
        for _ in 0..<calls { _ = try await connection.call("echo", arguments: ["text": "hi"]) }
    }
    let asTool = try await measure("MCP tool call as a traced Catena tool run (echo), per call", operations: calls) {
        for _ in 0..<calls { _ = try await echo.invoke(["text": "hi"]) }
    }
    await connection.close()
    return [direct, asTool]
}
