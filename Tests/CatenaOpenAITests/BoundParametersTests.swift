import Catena
import CatenaAnthropic
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// Parameters bound with `bind(parameters:)` reach the request body (they used to show only in traces and cache
/// keys), winning over the model's own values.
@Suite struct BoundParametersTests {
    @Test func boundParametersAreSentByEveryModel() async throws {
        try await withFaultServer({ request, _ in
            if request.uri.hasSuffix("/messages") {
                return FaultServer.json(200, #"{"type":"message","content":[{"type":"text","text":"ok"}]}"#)
            }
            if request.uri.hasSuffix("/completions") && !request.uri.hasSuffix("/chat/completions") {
                return FaultServer.json(200, #"{"choices":[{"index":0,"text":"ok","finish_reason":"stop"}]}"#)
            }
            return FaultServer.json(200, completionBody("ok"))
        }) { server, client in
            let bound: [String: JSONValue] = ["top_k": 3, "temperature": 0.9, "vendor_flag": true]
            let chat = ChatVLLM(client: client, model: "m", parameters: .init(temperature: 0.1))
            _ = try await chat.bind(parameters: bound).invoke("hi")
            _ = try await VLLM(client: client, model: "m").bind(parameters: bound).invoke("hi")
            let claude = ProviderChatModel(
                provider: AnthropicMessagesProvider(client: client), model: "c", parameters: .init(temperature: 0.1))
            _ = try await claude.bind(parameters: bound).invoke("hi")
            _ = try await chat.invoke("hi")

            let bodies = try server.requests.map { try JSONValue(parsing: $0.body) }
            #expect(bodies.count == 4)
            for body in bodies.prefix(3) {
                #expect(body["top_k"] == 3 && body["temperature"] == 0.9 && body["vendor_flag"] == true)
            }
            #expect(bodies[3]["top_k"] == nil && bodies[3]["temperature"] == 0.1)
        }
    }
}
