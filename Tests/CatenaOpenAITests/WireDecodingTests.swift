import Catena
import CatenaOpenAI
import Foundation
import Testing
import CatenaTestServices

@Suite struct WireDecodingTests {
    private let completion = #"""
        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "m",
         "system_fingerprint": "fp", "unknown": {"ignored": [1, 2]},
         "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": {"content": [{"token": "h", "logprob": -0.5}]},
                      "message": {"role": "assistant", "content": null, "reasoning_content": "think",
                                  "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                                  "function": {"name": "add", "arguments": "{\"a\": 1}"}}]}}],
         "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12,
                   "prompt_tokens_details": {"cached_tokens": 4}}}
        """#

    @Test func aCompletionDecodesEveryField() throws {
        let response = try ModelServerClient.decode(CompletionResponse.self, from: Array(completion.utf8))
        #expect(response.id == "chatcmpl-1")
        #expect(response.object == "chat.completion")
        #expect(response.created == 1_700_000_000)
        #expect(response.model == "m")
        #expect(response.systemFingerprint == "fp")
        let choice = try #require(response.choices.first)
        #expect(choice.finishReason == "tool_calls")
        #expect(choice.logprobs?["content"]?[0]?["logprob"] == .double(-0.5))
        #expect(choice.message?.content == nil)
        #expect(choice.message?.reasoningContent == "think")
        let call = try #require(choice.message?.toolCalls?.first)
        #expect(call.toolCall == ToolCall(index: 0, id: "call_1", name: "add", arguments: #"{"a": 1}"#))
        #expect(response.usage == WireUsage(promptTokens: 9, completionTokens: 3, totalTokens: 12, cachedTokens: 4))
    }

    @Test func foundationAndTheFastPathReadTheSameResponse() throws {
        let fast = try ModelServerClient.decode(CompletionResponse.self, from: Array(completion.utf8))
        let foundation = try JSONDecoder().decode(CompletionResponse.self, from: Data(completion.utf8))
        #expect(try JSONValue(encoding: fast) == (try JSONValue(encoding: foundation)))
        // And what is encoded reads back the same.
        let again = try ModelServerClient.decode(CompletionResponse.self, from: Array(try JSONEncoder().encode(fast)))
        #expect(try JSONValue(encoding: again) == (try JSONValue(encoding: fast)))
    }

    @Test func aMemberOfTheWrongTypeIsADecodingErrorNamingItsPath() throws {
        let body = #"{"choices": [{"index": 0, "message": {"role": "assistant", "content": 5}}]}"#
        do {
            _ = try ModelServerClient.decode(CompletionResponse.self, from: Array(body.utf8))
            Issue.record("a number read as content")
        } catch ModelServerError.decoding(let payload, let reason) {
            #expect(payload == body)
            let namesThePath = ["choices", "message", "content"].allSatisfy { reason.contains($0) }
            #expect(namesThePath, "\(reason)")
        }
    }

    @Test func missingRequiredMembersAreReported() {
        #expect(throws: ModelServerError.self) {
            try ModelServerClient.decode(CompletionResponse.self, from: Array(#"{"id": "x"}"#.utf8))
        }
        #expect(throws: ModelServerError.self) {
            try ModelServerClient.decode(
                CompletionResponse.self, from: Array(#"{"choices": [], "usage": {"prompt_tokens": 1}}"#.utf8))
        }
        #expect(throws: ModelServerError.self) {
            try ModelServerClient.decode(CompletionResponse.self, from: Array(#"{"choices": [1]}"#.utf8))
        }
    }

    @Test func nullMembersEscapedNamesAndUnknownValuesReadAsJSONDecoderReadsThem() throws {
        let body =
            #"{"choices": [{"index": 0, "message": null, "d\u0065lta": {"content": "hi"}, "extra": [{"a": "\u00e9"}]}], "usage": null, "id": null}"#
        let fast = try ModelServerClient.decode(CompletionResponse.self, from: Array(body.utf8))
        #expect(fast.choices.first?.message == nil)
        #expect(fast.choices.first?.delta?.content == "hi")
        #expect(fast.usage == nil && fast.id == nil)
        let foundation = try JSONDecoder().decode(CompletionResponse.self, from: Data(body.utf8))
        #expect(try JSONValue(encoding: fast) == (try JSONValue(encoding: foundation)))
    }

    @Test func corruptJSONIsADecodingErrorWithTheOffset() {
        do {
            _ = try ModelServerClient.decode(CompletionResponse.self, from: Array(#"{"choices": [], "x": [1,]}"#.utf8))
            Issue.record("corrupt JSON read")
        } catch ModelServerError.decoding(_, let reason) {
            #expect(reason.contains("byte 24"), "\(reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aStreamChunkWithoutTotalsGetsTheSum() throws {
        let chunk = #"{"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 5}}"#
        let response = try ModelServerClient.decode(CompletionResponse.self, from: Array(chunk.utf8))
        #expect(response.usage?.totalTokens == 7)
    }
}
