// A process the checkpoint tests kill: an agent run on a SQLite thread that stops where the test asks (between two
// steps, or in the middle of a tool call) and waits to be killed; then, in a new process, the same agent resuming
// the thread. Each model call and tool call is logged (one line each, appended to a file) for the test to count.
//
//     catena-checkpoint-child run|resume <database> <thread> <log> none|between|mid-tool
import Catena
import CatenaSQLiteCheckpoints
import CatenaTesting
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 6 else {
    FileHandle.standardError.write(Data("usage: catena-checkpoint-child run|resume DATABASE THREAD LOG STOP\n".utf8))
    exit(2)
}
let (mode, database, threadID) = (arguments[1], arguments[2], arguments[3])

/// Where the child logs, and where it stops.
struct Child: Sendable {
    let logPath: String
    /// `none`, `between` or `mid-tool`: where a first run stops (a resumed one does not).
    let stop: String

    /// Appends `line` to the log, written before the process can be killed.
    func log(_ line: String) {
        let descriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        _ = Data((line + "\n").utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// Waits to be killed, when this run stops at `point`.
    func stop(at point: String) async {
        guard stop == point else { return }
        log(point == "between" ? "paused" : "stopped")
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }
}
let child = Child(logPath: arguments[4], stop: mode == "run" ? arguments[5] : "none")

struct Letter: Decodable, Sendable { let letter: String }

let fast = FunctionTool(name: "fast", description: "Answers at once", parameters: ["type": "object"]) {
    (arguments: Letter) in
    child.log("fast \(arguments.letter)")
    return "fast \(arguments.letter)"
}
let slow = FunctionTool(name: "slow", description: "Takes its time", parameters: ["type": "object"]) {
    (arguments: Letter) in
    child.log("slow-start \(arguments.letter)")
    await child.stop(at: "mid-tool")
    child.log("slow-done \(arguments.letter)")
    return "slow \(arguments.letter)"
}

/// Two rounds of tool calls, then the answer, chosen by the tool answers the conversation holds.
let model = ScriptedChatModel { conversation in
    let answered = conversation.filter { $0.role == .tool }
    child.log("model \(answered.count)")
    switch answered.count {
    case 0:
        return .assistant(
            "",
            toolCalls: [
                ToolCall(id: "c1", name: "fast", arguments: #"{"letter":"a"}"#),
                ToolCall(id: "c2", name: "slow", arguments: #"{"letter":"b"}"#),
            ])
    case 2: return .assistant("", toolCalls: [ToolCall(id: "c3", name: "fast", arguments: #"{"letter":"c"}"#)])
    default: return .assistant("done: " + answered.map(\.text).joined(separator: ", "))
    }
}

let pausing = AgentMiddleware(
    name: "Pause",
    beforeModel: { state in
        if state.modelCalls == 1 { await child.stop(at: "between") }
    })

do {
    // One call at a time: the slow call starts once the fast one's answer is saved.
    let agent = try Agent(
        model: model, tools: [fast, slow], middleware: [pausing], options: AgentOptions(maxConcurrency: 1))
    let thread = AgentThread(threadID, in: try SQLiteCheckpointStore(path: database))
    let result =
        if mode == "run" {
            try await agent.invoke([.user("go")], in: thread)
        } else {
            try await agent.resume(thread)
        }
    print(result.answer.text)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
