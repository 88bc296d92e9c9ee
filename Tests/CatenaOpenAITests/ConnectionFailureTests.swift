import Catena
import CatenaOpenAI
import CatenaTestServices
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing

/// Servers that cannot be reached fail fast, once, with the URL and what to check.
@Suite struct ConnectionFailureTests {
    /// A loopback port nothing listens on: the discard port, which no test binds. (A server's port closed again
    /// was once taken meanwhile by another suite's server on port 0, and the request went there.)
    static let closedPort = 9

    @Test(
        "a refused connection fails as refused (not after the connect timeout), with the URL and a hint, and is not retried"
    )
    func refusedConnectionFailsFast() async throws {
        let url = "http://127.0.0.1:\(Self.closedPort)/v1"
        let recorder = RecordingCallbackHandler()
        _ = try await ModelServerClient.withClient(.openAICompatible(baseURL: url)) { client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi", config: .init(callbacks: [recorder]))
            } throws: { error in
                guard case .cannotConnect(let reported, let reason) = error as? ModelServerError else { return false }
                return reported.hasPrefix(url) && reason.contains("connection refused")
                    && "\(error)".contains("is the server running?")
            }
        }
        #expect(recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_error"])
    }

    @Test(
        "a base URL without a scheme is refused before any request, naming the reason",
        arguments: ["127.0.0.1:8097/v1", "localhost/v1", "ftp://127.0.0.1/v1", "http:///v1"])
    func invalidBaseURL(url: String) async throws {
        _ = try await ModelServerClient.withClient(.openAICompatible(baseURL: url)) { client in
            await #expect {
                try await ChatVLLM(client: client, model: "m").invoke("hi")
            } throws: { error in
                guard case .cannotConnect(url, let reason) = error as? ModelServerError else { return false }
                return reason == "not an http:// or https:// URL" && !(error as! ModelServerError).isRetryable
            }
        }
    }

    /// Calls the model at `url` and expects `cannotConnect` for that URL, with a reason that `matches`.
    func expectCannotConnect(
        _ url: String, callbacks: [any CallbackHandler] = [], sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: @escaping (_ reason: String) -> Bool
    ) async throws {
        _ = try await ModelServerClient.withClient(.openAICompatible(baseURL: url)) { client in
            await #expect(sourceLocation: sourceLocation) {
                try await ChatVLLM(client: client, model: "m").invoke("hi", config: .init(callbacks: callbacks))
            } throws: { error in
                guard case .cannotConnect(let reported, let reason) = error as? ModelServerError else { return false }
                return reported.hasPrefix(url) && matches(reason)
            }
        }
    }

    @Test("https to a server that speaks plain HTTP is a TLS failure, named as such, not retried")
    func tlsFailure() async throws {
        let server = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        defer { Task { try? await server.shutdown() } }
        try await expectCannotConnect("https://127.0.0.1:\(server.port)/v1") { $0.hasPrefix("TLS handshake failed") }
    }

    @Test(
        "https to a server that ignores a TLS hello but answers plain HTTP fails before any request, saying so",
        .enabled(if: LocalModel.isAvailable))
    func plainHTTPServerAskedForTLS() async throws {
        // llama.cpp's server waits for a request line after a ClientHello: without the check, each of 3 attempts
        // waited out the 10 s connect timeout and ended in a bare `tlsHandshakeTimeout`.
        let url = try #require(LocalModel.baseURL).replacingOccurrences(of: "http://", with: "https://")
        let recorder = RecordingCallbackHandler()
        try await expectCannotConnect(url, callbacks: [recorder]) { reason in
            reason.contains("does not speak TLS") && reason.contains("http://")
        }
        #expect(recorder.hookNames == ["on_chat_model_start", "on_llm_request", "on_llm_error"])
    }

    @Test("a TLS server is never taken for a plain HTTP one: its untrusted certificate is the failure reported")
    func tlsServerWithUntrustedCertificate() async throws {
        let server = try await TLSTestServer.start()
        try await expectCannotConnect("https://127.0.0.1:\(server.port)/v1") { reason in
            reason.hasPrefix("TLS handshake failed") && !reason.contains("does not speak TLS")
        }
    }
}
