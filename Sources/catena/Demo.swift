import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation

/// `catena demo`: the README's main job against the local model.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream `prompt | chat model | parser` from the model, then print the run tree with timings and token usage.")

    @Argument(help: "The question.") var question = "In one sentence: why is the sky blue?"
    @OptionGroup var model: ModelOptions

    func run() async throws {
        try await model.withModel { chat in
            let streaming = chat.with { $0.streaming = true }
            let chain = ChatPromptTemplate([.system("You are a concise assistant."), .user("{question}")]) | streaming
                | StringOutputParser()
            let tree = Tree()
            let tracer = ConsoleTracer { tree.lines.append($0) }
            writeOutput("Q: \(question)\nA: ")
            for try await piece in chain.stream(["question": .text(question)], config: .init(callbacks: [tracer], runName: "demo_chain")) {
                writeOutput(piece)
            }
            writeOutput("\n\nrun tree:\n" + tree.lines.joined(separator: "\n") + "\n")
        }
    }
}

/// The tracer's lines, kept until the answer has streamed.
final class Tree: @unchecked Sendable {
    // Written by the tracer on the streaming task only, read after the stream ended.
    var lines: [String] = []
}

extension ChatVLLM {
    /// A copy with `change` applied.
    func with(_ change: (inout ChatVLLM) -> Void) -> ChatVLLM {
        var copy = self
        change(&copy)
        return copy
    }
}
