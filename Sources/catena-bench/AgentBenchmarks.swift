import Catena
import CatenaSQLiteCheckpoints
import CatenaSoak
import CatenaTesting
import Foundation

/// The agent loop's own cost, matching ../shared/peers/lc_agent_bench.py: a scripted model asks for `steps` tool
/// calls (one per turn) and then answers; the tool returns a short string.
nonisolated func runAgentBenchmarks() async throws -> [Row] {
    let question: [Message] = [.user("What is the weather in Paris?")]
    let one = try Agent(model: ScriptedToolModel(steps: 1), tools: [lookup])
    let ten = try Agent(model: ScriptedToolModel(steps: 10), tools: [lookup])
    let noop = AgentMiddleware(name: "Noop", beforeModel: { _ in }, afterModel: { _ in })
    let withMiddleware = try Agent(
        model: ScriptedToolModel(steps: 1), tools: [lookup],
        middleware: [.modelCallLimit(50), .toolRetry(RetryPolicy(maxAttempts: 3)), noop])
    let handler = RunnableConfig(callbacks: [CountingHandler()])
    for agent in [one, ten, withMiddleware] {
        guard try await agent.invoke(question).answer.text == "It is sunny in Paris." else {
            throw BenchError("the scripted agent did not answer")
        }
    }
    var rows: [Row] = []
    rows.append(
        try await measure("agent invoke, 1 tool round (2 model calls + 1 tool call), per run", operations: 2_000) {
            for _ in 0..<2_000 { _ = try await one.invoke(question) }
        })
    rows.append(
        try await measure("agent invoke, 10 tool rounds, per round", operations: 2_000) {
            for _ in 0..<200 { _ = try await ten.invoke(question) }
        })
    rows.append(
        try await measure(
            "agent invoke, 1 tool round, 3 middlewares (call limit, tool retry, before/after model), per run",
            operations: 2_000
        ) {
            for _ in 0..<2_000 { _ = try await withMiddleware.invoke(question) }
        })
    rows.append(
        try await measure("agent invoke, 1 tool round, 1 callback handler, per run", operations: 2_000) {
            for _ in 0..<2_000 { _ = try await one.invoke(question, config: handler) }
        })
    rows.append(
        try await measure("agent updates (tokens, calls, results), 1 tool round, per run", operations: 2_000) {
            for _ in 0..<2_000 {
                for try await _ in one.updates(question) {}
            }
        })
    rows.append(try await checkpointRow(agent: one, question: question))
    rows += try inFlightRows(workload: "agent", label: "1,000 concurrent agent runs (1 tool round, model sleeps 10 ms)")
    return rows
}

/// A 1-round run on a new thread of a SQLite store (WAL) each time, per checkpoint saved: the start, the two model
/// turns, the tool answer and the end (the loop's own cost included).
private func checkpointRow(agent: Agent<ScriptedToolModel>, question: [Message]) async throws -> Row {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("catena-bench-\(UUID()).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let store = try SQLiteCheckpointStore(path: path)
    let warmUp = AgentThread("warm-up", in: store)
    _ = try await agent.invoke(question, in: warmUp)
    let saved = try await warmUp.history().count
    guard saved == 5 else { throw BenchError("a 1-round run saved \(saved) checkpoints, not 5") }
    let runs = 1_000
    var threads = 0
    return try await measure(
        "agent invoke on a SQLite thread (WAL), 1 tool round, per checkpoint (5 a run)", operations: runs * 5
    ) {
        for _ in 0..<runs {
            threads += 1
            _ = try await agent.invoke(question, in: AgentThread("t\(threads)", in: store))
        }
    }
}

/// 1,000 concurrent 1-round agent runs whose model sleeps 10 ms a call; prints the peak RSS in MiB, the memory per
/// run in KiB and the wall time in ms (run in a fresh process by ``inFlightRows(workload:label:processes:)``).
nonisolated func concurrentAgents() async throws {
    let runs = 1_000
    let agent = try Agent(model: ScriptedToolModel(steps: 1, sleeps: true), tools: [lookup])
    for _ in 0..<50 { _ = try await agent.invoke([.user("warm up")]) }
    _ = ResidentMemory.resetPeak()
    let before = ResidentMemory.currentKiB
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: AgentResult.self) { group in
        for index in 0..<runs {
            let question: [Message] = [.user("What is the weather in Paris? (\(index))")]
            group.addTask { try await agent.invoke(question) }
        }
        for try await _ in group {}
    }
    let wall = (ContinuousClock.now - started).microseconds / 1000
    let peak = ResidentMemory.peakKiB
    print(peak / 1024, (peak - before) / Double(runs), wall)
}

/// The peers' `lookup` tool.
private let lookup = FunctionTool(
    name: "lookup", description: "Current weather in a city.",
    parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
) { (arguments: LookupArguments) in "Sunny in \(arguments.city)" }

private struct LookupArguments: Decodable, Sendable { let city: String }

/// Asks for `steps` tool calls, one per turn, then answers (the peers' `ScriptedToolModel`); optionally sleeps
/// 10 ms per call.
struct ScriptedToolModel: ChatModel, ToolCallingChatModel {
    let steps: Int
    var sleeps = false
    var llmType: String { "scripted-tool-model" }

    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        if sleeps { try await Task.sleep(nanoseconds: 10_000_000) }
        let done = messages.count { $0.role == .tool }
        guard done < steps else { return ChatResult(message: .assistant("It is sunny in Paris.")) }
        return ChatResult(
            message: .assistant(
                "", toolCalls: [ToolCall(id: "call_\(done)", name: "lookup", arguments: #"{"city":"Paris"}"#)]))
    }

    func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice?) -> ScriptedToolModel { self }
}
