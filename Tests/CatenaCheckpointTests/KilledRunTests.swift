import Catena
import CatenaSQLiteCheckpoints
import CatenaTestServices
import Foundation
import Testing

/// A run killed with SIGKILL (between two steps, and in the middle of a tool call) resumes in a new process from
/// its SQLite thread: no finished step is lost, no finished tool call runs again.
@Suite(.timeLimit(.minutes(2)))
struct KilledRunTests {
    /// The child program, beside the test binary in the build folder.
    static let child = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("catena-checkpoint-child")

    struct Killed {
        let log: [String]
        let answer: String
        let history: [AgentCheckpoint]
    }

    /// Runs the child until it logs `marker`, kills it, resumes the thread in a new child, and returns what both
    /// logged, the answer, and the thread's history.
    static func killAndResume(stoppingAt stop: String, marker: String) async throws -> Killed {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catena-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, log) = (
            directory.appendingPathComponent("threads.sqlite").path, directory.appendingPathComponent("log").path
        )
        let arguments = [database, "t1", log, stop]

        let running = Process()
        running.executableURL = child
        running.arguments = ["run"] + arguments
        try running.run()
        defer { running.killAndWait() }
        while !lines(of: log).contains(marker) {
            try #require(running.isRunning, "the child ended before it logged '\(marker)'")
            try await Task.sleep(for: .milliseconds(10))
        }
        running.killAndWait()
        #expect(running.terminationReason == .uncaughtSignal && running.terminationStatus == SIGKILL)

        let resumed = try await CatenaCommand.run(["resume"] + arguments, executable: child)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let store = try SQLiteCheckpointStore(path: database)
        return Killed(
            log: lines(of: log), answer: resumed.output.trimmingCharacters(in: .whitespacesAndNewlines),
            history: try await AgentThread("t1", in: store).history())
    }

    static func lines(of path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func killedBetweenStepsItGoesOnWithTheNextModelCall() async throws {
        let killed = try await Self.killAndResume(stoppingAt: "between", marker: "paused")
        #expect(
            killed.log == [
                "model 0", "fast a", "slow-start b", "slow-done b", "paused",
                "model 2", "fast c", "model 3",
            ])
        #expect(killed.answer == "done: fast a, slow b, fast c")
        #expect(killed.history.last?.status == .finished)
        #expect(killed.history.map(\.sequence) == Array(1...killed.history.count))
        #expect(killed.history.last?.state.messages.filter { $0.role == .tool }.count == 3)
    }

    @Test func killedMidToolOnlyTheUnfinishedCallRunsAgain() async throws {
        let killed = try await Self.killAndResume(stoppingAt: "mid-tool", marker: "stopped")
        #expect(
            killed.log == [
                "model 0", "fast a", "slow-start b", "stopped",
                "slow-start b", "slow-done b", "model 2", "fast c", "model 3",
            ])
        #expect(killed.answer == "done: fast a, slow b, fast c")
        #expect(killed.history.last?.status == .finished)
        let toolAnswers = try #require(killed.history.last).state.messages.filter { $0.role == .tool }
        #expect(toolAnswers.map(\.toolCallID) == ["c1", "c2", "c3"])
    }
}
