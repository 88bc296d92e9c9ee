import ArgumentParser
import Catena
import CatenaOpenAI
import Foundation

/// `catena events`: the stream events of `prompt | model | parser` as JSON lines.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run `prompt | model | parser` on a question and print its stream events as JSON lines.")

    @Argument(help: "The question.") var question: String
    @Option(help: "The system message of the prompt.") var system = "You are a helpful assistant."
    @Option(help: "Only events of these run types (chain, prompt, chat_model, parser, …; repeatable).")
    var includeType: [String] = []
    @Flag(help: "Leave out the per-token stream events.") var noChunks = false
    @OptionGroup var model: ModelOptions

    func validate() throws {
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the question is empty")
        }
    }

    func run() async throws {
        let types = try includeType.map { name in
            guard let type = RunType(rawValue: name) else { throw ValidationError("unknown run type '\(name)'") }
            return type
        }
        try await model.withModel { chat in
            let chain = ChatPromptTemplate([.system(system), .user("{question}")]) | chat | StringOutputParser()
            let events = chain.streamEvents(["question": .text(question)], filter: .init(includeTypes: types))
            for try await event in events where !(noChunks && event.event.hasSuffix("_stream")) {
                writeOutput(event.json.jsonString + "\n")
            }
        }
    }
}
