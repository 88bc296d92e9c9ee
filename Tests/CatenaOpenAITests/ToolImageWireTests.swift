import Catena
import CatenaAnthropic
import CatenaOpenAI
import Foundation
import Testing

/// A tool message with an image (an MCP tool's screenshot) as each wire format takes it: Chat Completions only takes
/// text in a tool message, so the image follows in a user message; Anthropic and Responses take it in the result.
struct ToolImageWireTests {
    static let image = "data:image/png;base64,iVBORw0KGgo="
    static let request = ChatRequest(
        model: "m",
        messages: [
            .user("What is on screen?"),
            .assistant("", toolCalls: [ToolCall(id: "c1", name: "screenshot", arguments: "{}")]),
            .tool(.parts([.text("the screen"), .imageURL(image)]), callID: "c1"),
        ])

    /// The JSON body `provider` makes for ``request``.
    static func body(_ provider: some ChatProvider) throws -> JSONValue {
        try JSONValue(parsing: try provider.requestBody(request, stream: false))
    }

    static func withClient<T>(_ body: (ModelServerClient) throws -> T) async throws -> T {
        let client = ModelServerClient(.openAICompatible(baseURL: "http://127.0.0.1:9/v1"))
        do {
            let result = try body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func chatCompletionsSendsTheImagesInAUserMessageAfterTheToolMessage() async throws {
        let messages = try await Self.withClient { try Self.body(OpenAIChatProvider(client: $0)) }["messages"]
        #expect(messages?.arrayValue?.count == 4)
        #expect(messages?[2] == ["role": "tool", "content": "the screen", "tool_call_id": "c1"])
        #expect(messages?[3]?["role"] == "user")
        #expect(messages?[3]?["content"]?[1]?["image_url"]?["url"]?.stringValue == Self.image)
    }

    @Test func anthropicPutsTheImageInTheToolResult() async throws {
        let messages = try await Self.withClient { try Self.body(AnthropicMessagesProvider(client: $0)) }["messages"]
        let result = messages?[2]?["content"]?[0]
        #expect(result?["type"] == "tool_result" && result?["tool_use_id"] == "c1")
        #expect(result?["content"]?[0] == ["type": "text", "text": "the screen"])
        #expect(result?["content"]?[1]?["type"] == "image")
    }

    @Test func responsesPutsTheImageInTheFunctionCallOutput() async throws {
        let input = try await Self.withClient { try Self.body(OpenAIResponsesProvider(client: $0)) }["input"]
        let output = input?.arrayValue?.first { $0["type"] == "function_call_output" }?["output"]
        #expect(output?[0] == ["type": "input_text", "text": "the screen"])
        #expect(output?[1]?["type"] == "input_image" && output?[1]?["image_url"]?.stringValue == Self.image)
    }
}
