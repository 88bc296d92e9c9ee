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
            is done (so an interrupted batch keeps what it finished); progress goes to stderr. A failed prompt fails alone.
            """)

    @Argument(help: "A text file with one prompt per line (- for standard input).") var file: String
    @Option(help: "Prompts in flight at once.") var maxConcurrency = 4
    @OptionGroup var model: ModelOptions

    func run() async throws {
        let prompts = try readPrompts()
        guard !prompts.isEmpty else { throw ValidationError("\(file) has no prompts") }
        let progress = ProgressBar(total: prompts.count)
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
    }

    private func readPrompts() throws -> [String] {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            text = contents
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// A one-line progress bar on standard error: done/total, failures, elapsed time.
final class ProgressBar {
    private let total: Int
    private var done = 0
    private var failed = 0
    private let started = ContinuousClock.now

    init(total: Int) {
        self.total = total
        draw()
    }

    func advance(failed didFail: Bool) {
        done += 1
        if didFail { failed += 1 }
        draw()
    }

    func finish() { printError("") }

    /// Erases the bar, so an output line does not land after it on a shared terminal.
    func clearLine() { printError("\r\u{1B}[2K", terminator: "") }

    private func draw() {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let seconds = (ContinuousClock.now - started).components.seconds
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        printError("\r[\(bar)] \(done)/\(total)\(failed > 0 ? ", \(failed) failed" : "") \(seconds)s", terminator: "")
    }
}
