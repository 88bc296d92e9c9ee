import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation
import Synchronization

/// `catena batch`: answers a file of prompts concurrently, with a progress bar, as JSON lines.
struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer every line of a file (one prompt per line); print one JSON line per prompt as it completes.",
        discussion: """
            Each line is {"index", "prompt", "answer"} or {"index", "prompt", "error"}, printed as soon as that prompt \
            is done, in completion order (so an interrupted batch keeps what it finished; sort by "index" for input \
            order). A progress bar goes to stderr when it is a terminal. A failed prompt fails alone; the exit status \
            is 1 when any failed, with "N of M failed" on stderr.
            """)

    @Argument(help: "A text file with one prompt per line (- for standard input).") var file: String
    @Option(help: "Prompts in flight at once.") var maxConcurrency = 4
    @OptionGroup var model: ModelOptions

    func run() async throws {
        let prompts = try readPrompts()
        guard !prompts.isEmpty else { throw CLIError(description: "\(file) has no prompts") }
        let progress = ProgressBar(total: prompts.count, visible: isatty(STDERR_FILENO) == 1)
        try await model.withModel { chat in
            let inputs = prompts.map { PromptValue.text($0) }
            for try await item in chat.batchAsCompleted(inputs, config: .init(maxConcurrency: maxConcurrency)) {
                let outcome: (String, JSONValue) =
                    switch item.result {
                    case .success(let message): ("answer", .string(message.text))
                    case .failure(let error): ("error", .string("\(error)"))
                    }
                let line = [("index", JSONValue.int(item.index)), ("prompt", .string(prompts[item.index])), outcome]
                progress.report(
                    String(decoding: JSONValue.serializedObject(line), as: UTF8.self) + "\n",
                    failed: outcome.0 == "error")
            }
        }
        progress.finish()
        if progress.failed > 0 {
            printError("\(progress.failed) of \(prompts.count) failed")
            throw ExitCode.failure
        }
    }

    private func readPrompts() throws -> [String] {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                let exists = FileManager.default.fileExists(atPath: file)
                throw CLIError(
                    description:
                        "cannot read \(file): \(exists ? "permission denied or not UTF-8 text" : "no such file")")
            }
            text = contents
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
    }
}

/// A one-line progress bar on standard error: done/total, failures, elapsed time, redrawn every second so the clock
/// keeps ticking between completions. Drawn only when `visible` (standard error is a terminal), so a redirected
/// standard error gets no escape codes.
final class ProgressBar: Sendable {
    private struct Counts {
        var done = 0
        var failed = 0
    }

    private let total: Int
    private let visible: Bool
    private let counts = Mutex(Counts())
    private let started = ContinuousClock.now
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(total: Int, visible: Bool) {
        self.total = total
        self.visible = visible
        guard visible else { return }
        draw()
        ticker.withLock {
            $0 = Task { [weak self] in
                while (try? await Task.sleep(for: .seconds(1))) != nil { self?.draw() }
            }
        }
    }

    /// How many prompts failed so far.
    var failed: Int { counts.withLock { $0.failed } }

    /// Writes a result line to standard output (the bar erased before it and drawn again after) and counts it.
    func report(_ line: String, failed didFail: Bool) {
        counts.withLock { counts in
            if visible { printError("\r\u{1B}[2K", terminator: "") }
            writeOutput(line)
            counts.done += 1
            if didFail { counts.failed += 1 }
            draw(counts)
        }
    }

    func finish() {
        ticker.withLock { $0?.cancel() }
        if visible { printError("") }
    }

    /// Redraws the bar (from the ticker).
    private func draw() { counts.withLock { draw($0) } }

    private func draw(_ counts: Counts) {
        guard visible else { return }
        let width = 30
        let filled = total == 0 ? width : counts.done * width / total
        let seconds = (ContinuousClock.now - started).components.seconds
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let failures = counts.failed > 0 ? ", \(counts.failed) failed" : ""
        printError("\r[\(bar)] \(counts.done)/\(total)\(failures) \(seconds)s", terminator: "")
    }
}
