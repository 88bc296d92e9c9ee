import CatenaTestServices
import Foundation
import Testing

/// `catena agent` with an MCP server over stdio (Python `mcp`) and the real local model (SmolLM2 on llama.cpp,
/// calling tools through JSON turns).
@Suite(
    .enabled(
        if: MCPTestServers.python != nil && MCPTestServers.llm != nil,
        "set CATENA_PYTHON and CATENA_LLM_BASE_URL (bash scripts/test.sh does)"),
    .timeLimit(.minutes(3)))
struct AgentCommandTests {
    static let llm = MCPTestServers.llm
    static let weatherServer = URL(fileURLWithPath: MCPTestServers.script).deletingLastPathComponent()
        .appendingPathComponent("weather_server.py").path

    /// `catena agent QUESTION --mcp 'weather server' …` with `extra` flags.
    static func agent(_ question: String, _ extra: [String] = []) async throws -> CatenaCommand.Run {
        try await CatenaCommand.run(
            [
                "agent", question, "--mcp", "\(MCPTestServers.python ?? "python3") \(weatherServer)",
                "--tool-calling", "json", "--base-url", llm ?? "", "--model", "local", "--max-tokens", "60",
                "--temperature", "0", "--max-steps", "4",
            ] + extra)
    }

    @Test func theAgentCallsTheServersToolAndStreamsTheAnswer() async throws {
        let run = try await Self.agent("What is the weather in Paris?", ["--tree"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.contains(#"· calling weather({"city":"Paris"})"#))
        #expect(run.errors.contains("· weather → Sunny, 21 °C"))
        #expect(!run.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(run.errors.contains("run tree:") && run.errors.contains("weather [tool]"))
    }

    @Test func withApproveACallNotConfirmedIsRefused() async throws {
        // Standard input is empty: no call is confirmed.
        let run = try await Self.agent("What is the weather in Paris?", ["--approve"])
        #expect(run.errors.contains("Run weather("))
        #expect(run.errors.contains("· weather → The user did not allow this call."))
    }

    @Test func aServerThatCannotStartEndsTheCommandNamingIt() async throws {
        let run = try await CatenaCommand.run(
            ["agent", "Hello?", "--mcp", "broken=/nonexistent/server", "--base-url", Self.llm ?? ""])
        #expect(run.status != 0)
        #expect(run.errors.contains("MCP server 'broken'"))
    }

    @Test func withoutAServerTheCommandSaysWhatToGive() async throws {
        let run = try await CatenaCommand.run(["agent", "Hello?"])
        #expect(run.status != 0)
        #expect(run.errors.contains("give at least one MCP server"))
    }
}
