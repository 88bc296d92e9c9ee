import Catena

struct CustomLLM: LLM {
    var n: Int
    var llmType: String { "custom" }
    func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
        String(prompt.prefix(n))
    }
    // Optional: stream. The framework reports each chunk as a token before yielding it.
    func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>? {
        .of(prompt.prefix(n).map { Generation(text: String($0)) })
    }
}

print(try await CustomLLM(n: 5).invoke("This is a foobar thing"))   // "This "
