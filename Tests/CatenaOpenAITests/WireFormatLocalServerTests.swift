import Catena
import CatenaAnthropic
import CatenaOpenAI
import CatenaTesting
import Foundation
import Testing
import CatenaTestServices

/// The Anthropic Messages and OpenAI Responses providers against the real llama.cpp server the test command starts,
/// which serves both next to Chat Completions.
@Suite(.enabled(if: LocalModel.isAvailable, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"), .serialized)
struct WireFormatLocalServerTests {
    enum WireFormat: String, CaseIterable, Sendable {
        case anthropic, responses

        /// A client for the local server configured as the wire format's users would.
        func client() throws -> ModelServerClient {
            let baseURL = try #require(LocalModel.baseURL)
            switch self {
            case .anthropic: return ModelServerClient(.anthropic(baseURL: baseURL, apiKey: "sk-ant-local"))
            case .responses: return ModelServerClient(.openAICompatible(baseURL: baseURL))
            }
        }

        /// A greedy chat model over the format's provider.
        func model(_ client: ModelServerClient, maxTokens: Int = 12, extra: [String: JSONValue] = [:])
            -> ProviderChatModel
        {
            let provider: any ChatProvider =
                switch self {
                case .anthropic: AnthropicMessagesProvider(client: client)
                case .responses: OpenAIResponsesProvider(client: client)
                }
            return ProviderChatModel(
                provider: provider, model: "local",
                parameters: .init(temperature: 0, maxTokens: maxTokens, extra: extra))
        }
    }

    /// Runs `body` with a client for `format`, shut down afterwards.
    func with(_ format: WireFormat, _ body: (ModelServerClient) async throws -> Void) async throws {
        let client = try format.client()
        do {
            try await body(client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test(arguments: WireFormat.allCases) func invokeReturnsTextUsageAndMetadata(format: WireFormat) async throws {
        try await with(format) { client in
            let recorder = RecordingCallbackHandler()
            let reply = try await format.model(client).invoke("Say hello.", config: .init(callbacks: [recorder]))
            #expect(!reply.text.isEmpty)
            let usage = try #require(reply.usage)
            #expect(usage.inputTokens > 0 && usage.outputTokens > 0)
            #expect(usage.totalTokens == usage.inputTokens + usage.outputTokens)
            #expect(reply.responseMetadata["model_name"] == "local")
            #expect(reply.responseMetadata["id"]?.stringValue?.isEmpty == false)
            #expect(reply.responseMetadata["finish_reason"] != nil)
            #expect(
                recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_response", "on_llm_end"],
                "\(recorder.events)")
            #expect(recorder.events.first?.run.metadata["ls_provider"]?.stringValue == format.model(client).llmType)
        }
    }

    @Test(arguments: WireFormat.allCases) func streamYieldsChunksThatMergeIntoTheAnswer(format: WireFormat) async throws
    {
        try await with(format) { client in
            let model = format.model(client)
            let recorder = RecordingCallbackHandler()
            let chunks = try await model.stream("Name a colour.", config: .init(callbacks: [recorder])).collect()
            #expect(chunks.count > 2)
            let merged = chunks.dropFirst().reduce(chunks[0], +)
            // The run's end holds the answer the chunks make. (A second call is not compared: the server batches
            // concurrent requests, and a batch can change a greedy answer.)
            guard case .llmEnd(let result) = recorder.events.last?.payload else { Issue.record("no end"); return }
            let reported = try #require(result.generations.first?.first)
            #expect(merged.text == reported.text && !merged.text.isEmpty)
            #expect(merged.usage?.outputTokens == chunks.compactMap(\.usage).last?.outputTokens)
            #expect((merged.usage?.inputTokens ?? 0) > 0)
            #expect(merged.responseMetadata["finish_reason"] != nil)
            #expect(recorder.hookNames.filter { $0 == "on_llm_new_token" }.count == chunks.count)
            #expect(recorder.hookNames.last == "on_llm_end")
        }
    }

    @Test(arguments: WireFormat.allCases) func maxTokensAndStopEndTheAnswer(format: WireFormat) async throws {
        try await with(format) { client in
            let short = try await format.model(client, maxTokens: 3).invoke("Tell me a long story about a cat.")
            #expect(short.usage?.outputTokens == 3)
            if format == .anthropic { #expect(short.responseMetadata["finish_reason"] == "max_tokens") }

            let model = format.model(client, maxTokens: 40)
            let free = try await model.invoke("Count from 1 to 10, separated by commas.")
            let stopWord = try #require(free.text.split(separator: " ").dropFirst().first.map(String.init))
            // Each call is its own generation (the server batches concurrent requests, and a batch can change a
            // greedy answer), so each is checked on its own: the stop word never appears.
            let stopped = try await model.bind(stop: [stopWord]).invoke("Count from 1 to 10, separated by commas.")
            #expect(!stopped.text.contains(stopWord))
            let streamed = try await model.bind(stop: [stopWord]).stream("Count from 1 to 10, separated by commas.")
                .collect()
            #expect(!streamed.map(\.text).joined().contains(stopWord))
        }
    }

    @Test(arguments: WireFormat.allCases) func aRefusedRequestIsABadRequestWithTheServersMessage(format: WireFormat)
        async throws
    {
        try await with(format) { client in
            let recorder = RecordingCallbackHandler()
            let model = format.model(client, extra: ["temperature": "hot"])
            let error = await #expect(throws: ModelServerError.self) {
                _ = try await model.invoke("hi", config: .init(callbacks: [recorder]))
            }
            guard case .badRequest(400, let message) = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(message.contains("temperature"))
            #expect(recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_error"])
            await #expect(throws: ModelServerError.self) { _ = try await model.stream("hi").collect() }
        }
    }

    @Test(arguments: WireFormat.allCases) func aPromptChainRunsOverTheProvider(format: WireFormat) async throws {
        try await with(format) { client in
            let chain =
                ChatPromptTemplate([.system("You answer in one word."), .user("{q}")]) | format.model(client)
                | StringOutputParser()
            let answer = try await chain.invoke(["q": "What colour is the sky?"])
            #expect(!answer.isEmpty)
            let tokens = try await chain.stream(["q": "What colour is the sky?"]).collect()
            #expect(tokens.joined() == answer)
        }
    }
}
