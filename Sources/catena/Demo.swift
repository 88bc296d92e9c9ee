import ArgumentParser
import Catena
import CatenaDemoJob
import CatenaOpenAI

/// `catena demo`: the README's main job against the local model.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Stream `prompt | chat model | parser` from the model, then print the run tree with timings and token usage."
    )

    @Argument(help: "The question.") var question = DemoJob.defaultQuestion
    @OptionGroup var model: ModelOptions

    func run() async throws {
        try await model.withModel { chat in try await DemoJob.streamAnswer(to: question, from: chat, write: writeOutput)
        }
    }
}
