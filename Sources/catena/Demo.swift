import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation
import Synchronization

/// `catena demo`: the README's main job against the local model.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream `prompt | chat model | parser` from the model, then print the run tree with timings and token usage.")

    @Argument(help: "The question.") var question = "In one sentence: why is the sky blue?"
    @OptionGroup var model: ModelOptions

    func run() async throws {
        try await model.withModel { chat in
            var streaming = chat
            streaming.streaming = true
            let chain = ChatPromptTemplate([.system("You are a concise assistant."), .user("{question}")]) | streaming
                | StringOutputParser()
            let tree = Mutex<[String]>([])
            let tracer = ConsoleTracer { line in tree.withLock { $0.append(line) } }
            writeOutput("Q: \(question)\nA: ")
            for try await piece in chain.stream(["question": .text(question)], config: .init(callbacks: [tracer], runName: "demo_chain")) {
                writeOutput(piece)
            }
            writeOutput("\n\nrun tree:\n" + tree.withLock { $0 }.joined(separator: "\n") + "\n")
        }
    }
}
