import Catena
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// The settings every model spells the same way, and what the seam reports back typed.
@Suite struct ModelSettingsTests {
    /// A server answering whole or streamed, as the request asks.
    let script: FaultServer.Script = { request, _ in
        if request.text.contains(#""stream":true"#) {
            return [
                .head(200, FaultServer.sse), FaultServer.chunk("o"), FaultServer.chunk("k"),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        if request.uri.hasSuffix("/chat/completions") { return FaultServer.json(200, completionBody("ok")) }
        return FaultServer.json(200, #"{"choices":[{"index":0,"text":"ok","finish_reason":"stop"}]}"#)
    }

    @Test func disableStreamingIsOneSettingOnEveryModel() async throws {
        try await withFaultServer(script) { server, client in
            let provider = ProviderChatModel(
                provider: OpenAIChatProvider(client: client), model: "m", disableStreaming: .always)
            let chat = ChatVLLM(client: client, model: "m", disableStreaming: .always)
            let text = VLLM(client: client, model: "m", disableStreaming: .always)
            let fromProvider = try await provider.stream("hi").collect()
            let fromChat = try await chat.stream("hi").collect()
            let fromText = try await text.stream("hi").collect()
            #expect(fromProvider.map(\.text) == ["ok"])
            #expect(fromChat.map(\.text) == ["ok"])
            #expect(fromText == ["ok"])
            #expect(server.requests.allSatisfy { !$0.text.contains(#""stream":true"#) })

            // `.whenToolsBound` turns streaming off only while tools are bound.
            let tool = ToolDefinition(name: "clock", description: "The time", parameters: ["type": "object"])
            let streaming = ProviderChatModel(
                provider: OpenAIChatProvider(client: client), model: "m", disableStreaming: .whenToolsBound)
            let streamed = try await streaming.stream("hi").collect()
            #expect(streamed.map(\.text) == ["o", "k"])
            var withTools = streaming
            withTools.tools = [tool]
            let whole = try await withTools.stream("hi").collect()
            #expect(whole.map(\.text) == ["ok"])
        }
    }

    @Test func responseMetadataReadsTyped() async throws {
        try await withFaultServer(script) { _, client in
            let reply = try await ChatVLLM(client: client, model: "m").invoke("hi")
            #expect(reply.response.finishReason == "stop")
            #expect(reply.response.model == "fault")
            #expect(reply.response.id == "chatcmpl-9")
            #expect(reply.responseMetadata["finish_reason"] == "stop")
        }
        var message = Message.assistant("x")
        message.response.finishReason = "length"
        message.response.logprobs = ["content": []]
        #expect(message.responseMetadata == ["finish_reason": "length", "logprobs": ["content": []]])
        message.response.finishReason = nil
        #expect(message.responseMetadata["finish_reason"] == nil)
    }

    @Test(arguments: [
        (VLLMStructuredOutputs.json(schema: ["type": "object"]), #"{"json":{"type":"object"}}"#),
        (.regex("[0-9]+"), #"{"regex":"[0-9]+"}"#),
        (.choice(["yes", "no"]), #"{"choice":["yes","no"]}"#),
        (.grammar("root ::= \"a\""), #"{"grammar":"root ::= \"a\""}"#),
    ])
    func structuredOutputsAreSentAsVLLMExpectsThem(outputs: VLLMStructuredOutputs, expected: String) async throws {
        try await withFaultServer(script) { server, client in
            _ = try await ChatVLLM(client: client, model: "m", parameters: .init(structuredOutputs: outputs)).invoke(
                "hi")
            let body = try JSONValue(parsing: try #require(server.requests.first).body)
            #expect(body["structured_outputs"] == (try JSONValue(parsing: Array(expected.utf8))))
            #expect(body["guided_json"] == nil && body["guided_choice"] == nil)
        }
    }
}
