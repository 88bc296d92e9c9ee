import Catena
import CatenaOpenAI
import CatenaSoak
import Foundation
import Testing

@testable import CatenaGateway

/// The chunk JSON written directly is the same JSON value `JSONEncoder` writes, and the chunks it does not cover go
/// to `JSONEncoder`.
struct ChunkJSONTests {
    static let texts = ["", "hi", "quote \" backslash \\ newline \n tab \t", "\u{01}\u{1F}", "é 漢字 🙂", "</script>"]

    @Test func textDeltasMatchJSONEncoder() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let choices = (0..<Int.random(in: 0...2, using: &random)).map { index in
                CompletionResponse.Choice(
                    index: Bool.random(using: &random) ? index : nil,
                    delta: Bool.random(using: &random)
                        ? WireMessage(
                            role: Bool.random(using: &random) ? "assistant" : nil,
                            content: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil)
                        : nil,
                    finishReason: Bool.random(using: &random) ? "stop" : nil)
            }
            let chunk = CompletionResponse(
                id: Bool.random(using: &random) ? "chatcmpl-\(Int.random(in: 0...99, using: &random))" : nil,
                model: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil,
                created: Bool.random(using: &random) ? Int.random(in: Int.min...Int.max, using: &random) : nil,
                choices: choices, object: "chat.completion.chunk")
            let direct = try #require(ChunkJSON.direct(chunk))
            #expect(try JSONValue(parsing: direct) == JSONValue(parsing: Array(JSONEncoder().encode(chunk))))
        }
    }

    @Test func otherChunksAreLeftToJSONEncoder() {
        let tool = CompletionResponse(choices: [.init(delta: WireMessage(toolCalls: [WireToolCall(index: 0, id: "c")]))]
        )
        let usage = CompletionResponse(choices: [], usage: WireUsage(promptTokens: 1, completionTokens: 2))
        let logprobs = CompletionResponse(choices: [.init(delta: WireMessage(content: "a"), logprobs: ["content": []])])
        #expect(ChunkJSON.direct(tool) == nil && ChunkJSON.direct(usage) == nil && ChunkJSON.direct(logprobs) == nil)
    }
}
