import Catena
import CatenaTesting
import Testing

/// The reference page's custom LLM, step by step.
@Suite struct CustomLLMTests {
    let llm = PrefixLLM(n: 5)

    @Test func printsItselfLikeTheGuide() {
        #expect(llm.description == "CustomLLM\nParams: {\"model_name\":\"CustomChatModel\"}")
    }

    @Test func invokeEchoesThePrefix() async throws {
        #expect(try await llm.invoke("This is a foobar thing") == "This ")
        #expect(try await llm.invoke("world") == "world")
    }

    @Test func batchKeepsInputOrder() async throws {
        #expect(try await llm.batch(["woof woof woof", "meow meow meow"]) == ["woof ", "meow "])
    }

    @Test func streamsOneCharacterPerChunk() async throws {
        var printed = ""
        for try await token in llm.stream("hello") { printed += token + "|" }
        #expect(printed == "h|e|l|l|o|")
    }

    @Test func promptPipeLLMStreamsEvents() async throws {
        let chain = ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | PrefixLLM(n: 7)
        let events = try await chain.streamEvents(["input": "hello there!"]).collect()
        #expect(
            events.prefix(6).map(\.event) == [
                "on_chain_start", "on_prompt_start", "on_prompt_end", "on_llm_start", "on_llm_stream",
                "on_chain_stream",
            ])
        #expect(
            events.filter { $0.event == "on_chain_stream" }.compactMap { $0.data.chunk?.text }.joined() == "System:")
        #expect(events.last?.event == "on_chain_end")
    }

    @Test func aModelWithoutStreamingStreamsOneChunkAnnouncedAsAToken() async throws {
        struct Plain: LLM {
            var llmType: String { "plain" }
            func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String { "whole" }
        }
        let recorder = RecordingCallbackHandler()
        #expect(try await Plain().stream("x", config: .init(callbacks: [recorder])).collect() == ["whole"])
        #expect(recorder.hookNames == ["on_llm_start", "on_llm_new_token", "on_llm_end"])
    }
}
