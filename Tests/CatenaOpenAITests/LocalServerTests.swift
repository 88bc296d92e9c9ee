import Catena
import CatenaOpenAI
import CatenaTesting
import Foundation
import Testing
import CatenaTestServices

/// Against the real llama.cpp server with SmolLM2-135M-Instruct, started by the test command.
@Suite(.enabled(if: LocalModel.isAvailable, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"), .serialized)
struct LocalServerTests {
    @Test func invokeReturnsTextUsageAndMetadata() async throws {
        try await LocalModel.withClient { client in
            let recorder = RecordingCallbackHandler()
            let reply = try await LocalModel.chat(client).invoke("Say hello.", config: .init(callbacks: [recorder]))
            #expect(!reply.text.isEmpty)
            let usage = try #require(reply.usage)
            #expect(
                usage.inputTokens > 0 && usage.outputTokens > 0
                    && usage.totalTokens == usage.inputTokens + usage.outputTokens)
            #expect(reply.responseMetadata["finish_reason"] != nil)
            #expect(reply.responseMetadata["id"]?.stringValue?.isEmpty == false)
            #expect(
                recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_response", "on_llm_end"],
                "\(recorder.events)")
            guard case .llmEnd(let result) = recorder.events.last?.payload else { return }
            #expect(result.llmOutput?["token_usage"]?["total_tokens"]?.intValue == usage.totalTokens)
        }
    }

    @Test func streamYieldsTokensThatAddUpToTheAnswer() async throws {
        try await LocalModel.withClient { client in
            let model = LocalModel.chat(client)
            let recorder = RecordingCallbackHandler()
            let chunks = try await model.stream("Name a colour.", config: .init(callbacks: [recorder])).collect()
            #expect(chunks.count > 2)
            let merged = chunks.dropFirst().reduce(chunks[0], +)
            #expect(!merged.text.isEmpty)
            #expect(recorder.hookNames.filter { $0 == "on_llm_new_token" }.count == chunks.count)
            // The run's end reports the answer the chunks add up to, with the server's count of its tokens (a second
            // generation would not do: llama.cpp batches concurrent requests, which changes what it samples).
            guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
            #expect(result.generations.first?.first?.text == merged.text)
            let outputTokens = try #require(merged.usage?.outputTokens)
            #expect(outputTokens > 0)
            #expect(result.generations.first?.first?.message?.usage?.outputTokens == outputTokens)
        }
    }

    @Test func maxTokensAndStopEndTheAnswer() async throws {
        try await LocalModel.withClient { client in
            let short = try await LocalModel.chat(client, maxTokens: 3).invoke("Tell me a long story about a cat.")
            #expect(short.responseMetadata["finish_reason"] == "length")
            #expect(short.usage?.outputTokens == 3)

            let model = LocalModel.chat(client, maxTokens: 40)
            let free = try await model.invoke("Count from 1 to 10, separated by commas.")
            let stopWord = try #require(free.text.split(separator: " ").dropFirst().first.map(String.init))
            let stopped = try await model.bind(stop: [stopWord]).invoke("Count from 1 to 10, separated by commas.")
            // (Not compared with `free`: another generation, which the server's batching can change.)
            #expect(!stopped.text.contains(stopWord))
        }
    }

    @Test func twoCandidatesWithNEqualsTwo() async throws {
        try await LocalModel.withClient { client in
            let model = LocalModel.chat(client, maxTokens: 6) {
                $0.n = 2; $0.temperature = 1
            }
            let result = try await model.generate([.user("Say a word.")], stop: nil, runManager: .noop)
            #expect(result.generations.count == 2)
            #expect(result.generations.allSatisfy { !$0.text.isEmpty })
        }
    }

    @Test func jsonSchemaDecodesIntoAType() async throws {
        struct Person: Decodable, Sendable { var name: String; var age: Int }
        let schema: JSONValue = [
            "type": "object", "properties": ["name": ["type": "string"], "age": ["type": "integer"]],
            "required": ["name", "age"],
        ]
        try await LocalModel.withClient { client in
            let person = try await LocalModel.chat(client, maxTokens: 60)
                .withStructuredOutput(Person.self, method: .jsonSchema(name: "person", schema: schema))
                .invoke("Invent a person with a name and an age, as JSON.")
            #expect(!person.name.isEmpty)
        }
    }

    @Test func jsonModeTruncatedByMaxTokensIsAParsingError() async throws {
        struct Anything: Decodable, Sendable { var value: String }
        try await LocalModel.withClient { client in
            let result = try await LocalModel.chat(client, maxTokens: 4)
                .withStructuredOutputIncludingRaw(Anything.self, method: .jsonMode)
                .invoke("Describe the weather as a JSON object with many fields.")
            #expect(result.parsed == nil)
            let error = try #require(result.parsingError as? OutputParserError)
            #expect(error.rawOutput == result.raw.text)
            #expect(result.raw.responseMetadata["finish_reason"] == "length")
        }
    }

    @Test func logprobsAreInTheResponseMetadata() async throws {
        try await LocalModel.withClient { client in
            let reply = try await LocalModel.chat(client, maxTokens: 3) {
                $0.logprobs = true; $0.topLogprobs = 2
            }
            .invoke("Say yes.")
            let content = try #require(reply.responseMetadata["logprobs"]?["content"]?.arrayValue)
            #expect(content.count == 3)
            #expect(content.first?["top_logprobs"]?.arrayValue?.count == 2)
        }
    }

    @Test func serverRejectionSurfacesTheServerMessage() async throws {
        try await LocalModel.withClient { client in
            let model = ChatVLLM(client: client, model: "local", parameters: .init(extra: ["messages": "not a list"]))
            await #expect {
                try await model.invoke("hi")
            } throws: { error in
                guard case .badRequest(400, let message) = error as? ModelServerError else { return false }
                return !message.isEmpty && message != "(empty body)"
            }
        }
    }

    @Test func tokenizeUsesTheServerTokenizer() async throws {
        try await LocalModel.withClient { client in
            let count = try await LocalModel.chat(client).tokenize("hello world")
            #expect(count.tokens == [28120, 905])
            #expect(count.count == 2)
            #expect(!count.isEstimate)
        }
    }

    @Test func cancellingMidStreamEndsTheRunOnce() async throws {
        try await LocalModel.withClient { client in
            let recorder = RecordingCallbackHandler()
            let model = LocalModel.chat(client, maxTokens: 200)
            let task = Task {
                for try await _ in model.stream("Write a long poem.", config: .init(callbacks: [recorder])) {}
            }
            while recorder.hookNames.filter({ $0 == "on_llm_new_token" }).count < 2 {
                try await Task.sleep(for: .milliseconds(20))
            }
            task.cancel()
            _ = await task.result
            let endings = recorder.hookNames.filter { ["on_llm_end", "on_llm_error"].contains($0) }
            #expect(endings == ["on_llm_error"])
        }
    }

    @Test func textCompletionModelCompletesAndStreams() async throws {
        try await LocalModel.withClient { client in
            let model = VLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 6))
            let text = try await model.invoke("The capital of France is")
            let streamed = try await model.stream("The capital of France is").collect().joined()
            #expect(!text.isEmpty)
            #expect(streamed == text)
        }
    }
}
