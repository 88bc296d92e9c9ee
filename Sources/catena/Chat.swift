import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation

/// `catena chat`: one prompt, or an interactive session; tokens stream to the terminal.
struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask one question, or chat interactively when no prompt is given.",
        discussion: """
            In a session, Ctrl-C cancels the answer being streamed and returns to the prompt, keeping the history; \
            an empty line, Ctrl-D or Ctrl-C at the prompt ends it.
            """)

    @Argument(help: "The prompt; omit it for an interactive session.") var prompt: String?
    @Option(help: "A system message.") var system: String?
    @Flag(help: "Wait for the whole answer instead of streaming it.") var noStream = false
    @Flag(help: "Print token usage after each answer.") var usage = false
    @OptionGroup var model: ModelOptions

    func validate() throws {
        if let prompt, prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the prompt is empty; omit it for an interactive session")
        }
    }

    func run() async throws {
        try await model.withModel { chat in
            var history: [Message] = system.map { [.system($0)] } ?? []
            if let prompt {
                history.append(.user(prompt))
                _ = try await answer(history, with: chat)
                return
            }
            printError(
                "Chatting with \(model.model). Ctrl-C stops an answer; an empty line or Ctrl-D ends the session.")
            try await session(history, with: chat)
        }
    }

    /// The interactive session: a prompt, the streamed answer, again; each answer can be cancelled with Ctrl-C.
    private func session(_ start: [Message], with chat: ChatVLLM) async throws {
        var history = start
        let interrupts = Interrupts()
        while true {
            writeOutput("> ")
            interrupts.onInterrupt {
                writeOutput("\n")
                Foundation.exit(0)
            }
            guard let line = readLine() else {
                writeOutput("\n")
                return
            }
            if line.isEmpty { return }
            let question = history + [.user(line)]
            let answering = Task { try await answer(question, with: chat) }
            interrupts.onInterrupt { answering.cancel() }
            do {
                history = question + [try await answering.value]
            } catch  where answering.isCancelled {
                printError("\n[answer cancelled]")
            }
        }
    }

    /// Prints the answer to `history` as it streams, and returns it.
    private func answer(_ history: [Message], with chat: ChatVLLM) async throws -> Message {
        let reply: Message
        if noStream {
            reply = try await chat.invoke(.messages(history))
            writeOutput(reply.text + "\n")
        } else {
            var total: Message?
            for try await chunk in chat.stream(.messages(history)) {
                writeOutput(chunk.text)
                if total == nil { total = chunk } else { total!.append(chunk) }
            }
            writeOutput("\n")
            reply = total ?? .assistant("")
        }
        if reply.response.finishReason == "length" {
            printError(
                "[the answer was cut off at --max-tokens \(model.sampling.maxTokens); raise it for a longer one]")
        }
        if usage, let tokens = reply.usage {
            printError("[tokens: \(tokens.inputTokens) in, \(tokens.outputTokens) out]")
        }
        return reply
    }
}

/// Writes `text` to standard output at once (streamed tokens must not wait in a buffer). When no one reads any more
/// (`catena chat … | head -1`), the command ends there, quietly, as `cat` does: with status 141 (a broken pipe), the
/// request in flight ending with the process.
func writeOutput(_ text: String) {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    } catch {
        let cause = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError ?? error as NSError
        guard cause.domain == NSPOSIXErrorDomain, cause.code == Int(EPIPE) else {
            printError("Error: cannot write the output: \(error.localizedDescription)")
            exit(1)
        }
        exit(128 + SIGPIPE)
    }
}

/// Writes a line to standard error (messages that are not output).
func printError(_ text: String, terminator: String = "\n") {
    // A closed standard error loses the message, never the command.
    try? FileHandle.standardError.write(contentsOf: Data((text + terminator).utf8))
}
