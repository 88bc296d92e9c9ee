import Catena
import CatenaOpenAI
import CatenaTestServices
import CatenaTestingServer
import Testing

/// A provider written outside the package, with only the transport's public API: its own route, its own event
/// stream format, the client's requests, retries and typed errors.
@Suite struct OutsideProviderTests {
    /// An echo server's wire format: `POST /echo` answers `{"said": …}`; its stream sends one `{"piece": …}` event per
    /// piece and a `done` event.
    struct EchoProvider: ChatProvider {
        let client: ModelServerClient
        var providerName: String { "echo" }

        func requestBody(_ request: ChatRequest, stream: Bool) throws -> [UInt8] {
            JSONValue.object(["text": .string(request.messages.last?.text ?? ""), "stream": .bool(stream)])
                .serializedBytes
        }

        func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse {
            let raw = try await client.responseBody(route: .echo, body: body, onRetry: run.onRetry)
            let said = try JSONValue(parsing: raw)["said"]?.stringValue ?? ""
            return ProviderResponse(result: ChatResult(message: .assistant(said)), raw: raw)
        }

        func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message> {
            client.streamedEvents(route: .echo, body: body, format: PieceFormat(), onRetry: run.onRetry)
        }
    }

    /// The echo server's events.
    struct PieceFormat: EventStreamFormat {
        static var lastEvent: String { "done" }

        func read(_ event: ServerSentEvent) throws -> EventStreamStep<Message> {
            if event.event == "done" { return .end }
            return .payload(.assistant(try Self.json(of: event)["piece"]?.stringValue ?? ""))
        }
    }

    @Test func itAnswersAndStreamsThroughTheSharedTransport() async throws {
        try await withServer({ request, _ in
            guard request.uri == "/v1/echo" else { return FaultServer.json(404, "{}") }
            guard request.text.contains(#""stream":true"#) else { return FaultServer.json(200, #"{"said":"hi"}"#) }
            return [
                .head(200, FaultServer.sse), FaultServer.event(#"{"piece":"h"}"#), FaultServer.event(#"{"piece":"i"}"#),
                FaultServer.event("{}", named: "done"), .end,
            ]
        }) { server in
            let client = ModelServerClient(.openAICompatible(baseURL: server.baseURL))
            let model = ProviderChatModel(provider: EchoProvider(client: client), model: "echo-1")
            #expect(try await model.invoke("hi").text == "hi")
            #expect(try await model.stream("hi").collect().map(\.text) == ["h", "i"])
            try await client.shutdown()
        }
    }

    @Test func aStreamThatEndsWithoutItsLastEventIsInterruptedWithWhatCame() async throws {
        try await withServer({ _, _ in [.head(200, FaultServer.sse), FaultServer.event(#"{"piece":"h"}"#), .end] }) {
            server in
            let client = ModelServerClient(.openAICompatible(baseURL: server.baseURL))
            let model = ProviderChatModel(provider: EchoProvider(client: client), model: "echo-1")
            await #expect {
                try await model.stream("hi").collect()
            } throws: { error in
                guard case ModelServerError.streamInterrupted(let partial, let reason) = error else { return false }
                return partial == "h" && reason.contains("done")
            }
            try await client.shutdown()
        }
    }
}

extension ServerRoute {
    /// The echo server's route.
    static let echo = ServerRoute(path: "/echo")
}
