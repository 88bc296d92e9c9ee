import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation

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
        guard !prompts.isEmpty else { throw ValidationError("\(file) has no prompts") }
        let progress = ProgressBar(total: prompts.count, visible: isatty(STDERR_FILENO) == 1)
        try await model.withModel { chat in
            let inputs = prompts.map { PromptValue.text($0) }
            for try await item in chat.batchAsCompleted(inputs, config: .init(maxConcurrency: maxConcurrency)) {
                var line: [String: JSONValue] = ["index": .int(item.index), "prompt": .string(prompts[item.index])]
                switch item.result {
                case .success(let message): line["answer"] = .string(message.text)
                case .failure(let error): line["error"] = .string("\(error)")
                }
                progress.clearLine()
                writeOutput(JSONValue.object(line).jsonString + "\n")
                progress.advance(failed: line["error"] != nil)
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
                throw ValidationError("cannot read \(file): \(exists ? "permission denied or not UTF-8 text" : "no such file")")
            }
            text = contents
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// A one-line progress bar on standard error: done/total, failures, elapsed time. Drawn only when `visible` (standard
/// error is a terminal), so a redirected standard error gets no escape codes.
final class ProgressBar {
    private let total: Int
    private let visible: Bool
    private var done = 0
    private(set) var failed = 0
    private let started = ContinuousClock.now

    init(total: Int, visible: Bool) {
        self.total = total
        self.visible = visible
        draw()
    }

    func advance(failed didFail: Bool) {
        done += 1
        if didFail { failed += 1 }
        draw()
    }

    func finish() { if visible { printError("") } }

    /// Erases the bar, so an output line does not land after it on a shared terminal.
    func clearLine() { if visible { printError("\r\u{1B}[2K", terminator: "") } }

    private func draw() {
        guard visible else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let seconds = (ContinuousClock.now - started).components.seconds
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        printError("\r[\(bar)] \(done)/\(total)\(failed > 0 ? ", \(failed) failed" : "") \(seconds)s", terminator: "")
    }
}
