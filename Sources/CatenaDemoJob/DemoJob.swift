import Catena
public import CatenaOpenAI
import Synchronization

/// The README's main job, shared by `catena demo` and the lean `catena-quickstart` that `scripts/demo.sh` builds:
/// the answer of `prompt | chat model | parser`, streamed, then the run tree with timings and token usage.
public enum DemoJob {
    /// The question asked when none is given.
    public static let defaultQuestion = "In one sentence: why is the sky blue?"

    /// Streams `model`'s answer to `question` through `prompt | model | parser` into `write`, piece by piece, then
    /// writes the run tree.
    public static func streamAnswer(
        to question: String, from model: ChatVLLM, write: (String) -> Void
    ) async throws {
        var streaming = model
        streaming.streaming = true
        let chain =
            ChatPromptTemplate([.system("You are a concise assistant."), .user("{question}")]) | streaming
            | StringOutputParser()
        let tree = Mutex<[String]>([])
        let tracer = ConsoleTracer { line in tree.withLock { $0.append(line) } }
        write("Q: \(question)\nA: ")
        let config = RunnableConfig(callbacks: [tracer], runName: "demo_chain")
        for try await piece in chain.stream(["question": .text(question)], config: config) { write(piece) }
        write("\n\nrun tree:\n" + tree.withLock { $0 }.joined(separator: "\n") + "\n")
    }
}
