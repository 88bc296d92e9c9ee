import _CryptoExtras
import Catena
import CatenaCompletion
import CatenaOCI
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import InMemoryLogging
import Logging
import Testing
import CatenaTestServices

/// Every public type that can hold a credential, rendered every way Swift can, never shows it; nor does anything a
/// server echoes back.
@Suite("Secrets never print", .timeLimit(.minutes(1)))
struct SecretRenderingTests {
    static let apiKey = "sk-live-0123456789abcdefSECRET"
    static let headerToken = "hdr-token-9876543210SECRET"
    static let sessionToken = "session-token-ABCDEFGHIJKLMNOPSECRET"
    /// Everything that must never appear (the private key by its base64 body).
    static func secrets(pem: String) -> [String] {
        let body = pem.split(separator: "\n").dropFirst().dropLast().joined()
        return [apiKey, headerToken, sessionToken, String(body.prefix(40)), String(body.suffix(40))].filter {
            !$0.isEmpty
        }
    }

    /// `value` as `description`, `debugDescription`, interpolation, `dump` and swift-log at trace level show it.
    func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "secrets") { _ in handler }
        logger.logLevel = .trace
        logger.trace("\(value)", metadata: ["value": "\(String(reflecting: value))"])
        if let error = value as? any Error { logger.trace("failed", error: error) }
        let logged = handler.entries.map { "\($0.message) \($0.metadata) \(String(describing: $0.error))" }
        return [String(describing: value), String(reflecting: value), "\(value)", dumped] + logged
    }

    func expectNoSecret(in value: Any, pem: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for rendering in renderings(of: value) {
            for secret in Self.secrets(pem: pem) {
                #expect(
                    !rendering.contains(secret), "\(what) shows a secret: \(rendering)", sourceLocation: sourceLocation)
            }
        }
    }

    static func privateKeyPEM() throws -> String { try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation }

    @Test("configurations, clients, models, options, router and provider deployments")
    func holders() async throws {
        let pem = try Self.privateKeyPEM()
        let signer = try OCIRequestSigner(
            keyID: OCIRequestSigner.sessionTokenKeyID(Self.sessionToken), privateKeyPEM: pem)
        let apiKeySigner = try OCIRequestSigner(
            keyID: OCIRequestSigner.apiKeyID(tenancy: "ocid1.tenancy", user: "ocid1.user", fingerprint: "aa:bb"),
            privateKeyPEM: pem)
        let headers = ["Authorization": "Bearer \(Self.headerToken)", "x-team": "search"]
        let keyed = ModelServerConfiguration(
            endpoint: .openAICompatible(baseURL: "http://127.0.0.1:1/v1"), apiKey: Secret(Self.apiKey), headers: headers
        )
        let signed = ModelServerConfiguration(
            endpoint: .ociModelDeployment(predictURL: "https://example.invalid/predict"), signer: signer)
        let client = ModelServerClient(keyed)
        let options = CompletionOptions(apiKey: Secret(Self.apiKey), headers: headers)
        let router = RouterConfiguration(deployments: [
            RouterDeployment(id: "a", group: "g", model: "openai/m", options: options)
        ])
        let deployment = ProviderDeployment(
            client: client, model: "m", apiBase: "http://127.0.0.1:1/v1", apiKey: Secret(Self.apiKey))
        let environment = [
            "OPENAI_API_KEY": Self.apiKey, "HOSTED_VLLM_API_KEY": Self.apiKey, "OTHER_SECRET": Self.headerToken,
        ]
        let openAI = ModelServerProvider.openAI(environment: environment)
        _ = try openAI.deployment(for: "gpt-4o", options: options)  // a pooled client with the key and headers
        let providers = ProviderRegistry([openAI, OCIModelDeploymentProvider(environment: environment)])
        let completions = CompletionClient(providers: providers)
        let values: [(String, Any)] = [
            ("Secret", Secret(Self.apiKey)), ("OCIRequestSigner (session token)", signer),
            ("OCIRequestSigner (API key)", apiKeySigner),
            ("ModelServerConfiguration (key, headers)", keyed), ("ModelServerConfiguration (signer)", signed),
            ("ModelServerClient", client), ("ChatVLLM", ChatVLLM(client: client, model: "m")),
            ("VLLM", VLLM(client: client, model: "m")),
            ("CompletionOptions", options), ("RouterConfiguration", router), ("ProviderDeployment", deployment),
            ("ModelServerProvider", openAI), ("ProviderRegistry", providers), ("CompletionClient", completions),
        ]
        for (what, value) in values { expectNoSecret(in: value, pem: pem, what) }
        #expect("\(Secret(Self.apiKey))" == "<redacted>")
        #expect(String(reflecting: signer) == "OCIRequestSigner(keyID: ST$…CRET)")
        #expect(Secret(Self.apiKey).masked == "sk-…CRET")
        try await client.shutdown()
        try await completions.shutdown()
    }

    /// A server that answers every request with `status` and a message echoing the request's credentials.
    static func echoing(status: Int = 401) -> FaultServer.Script {
        { request, _ in
            let echoed =
                "invalid credentials: authorization=\(request.headers["authorization"] ?? "") "
                + "x-api-key=\(request.headers["x-api-key"] ?? "")"
            let body = #"{"error":{"message":"\#(echoed.replacingOccurrences(of: "\"", with: "\\\""))"}}"#
            guard status == 200 else { return FaultServer.json(status, body) }
            return [.head(200, FaultServer.sse), FaultServer.chunk("a"), FaultServer.event(body), .end]
        }
    }

    @Test(
        "a server echoing the key, a header token or a signed request's Authorization header in an error puts none of them into an error"
    )
    func echoedCredentialsAreRedactedFromErrors() async throws {
        let pem = try Self.privateKeyPEM()
        try await withServer(Self.echoing()) { server in
            let signer = try OCIRequestSigner(
                keyID: OCIRequestSigner.sessionTokenKeyID(Self.sessionToken), privateKeyPEM: pem)
            let configurations = [
                ModelServerConfiguration(
                    endpoint: .openAICompatible(baseURL: server.baseURL), apiKey: Secret(Self.apiKey)),
                ModelServerConfiguration(
                    endpoint: .openAICompatible(baseURL: server.baseURL), headers: ["X-API-Key": Self.headerToken]),
                ModelServerConfiguration(
                    endpoint: .ociModelDeployment(predictURL: server.baseURL + "/predict"), signer: signer),
            ]
            for configuration in configurations {
                try await ModelServerClient.withClient(configuration) { client in
                    do {
                        _ = try await ChatVLLM(client: client, model: "m").invoke("hi")
                        Issue.record("a 401 succeeded")
                    } catch {
                        expectNoSecret(in: error, pem: pem, "the error of \(configuration)")
                        #expect("\(error)".contains("<redacted>"), "\(error)")
                        // A signer's whole `Authorization` value (its signature and key id too), not only its token.
                        #expect(!"\(error)".contains("signature=") && !"\(error)".contains("keyId="), "\(error)")
                    }
                }
            }
            #expect(server.requests.count == 3)
        }
        try await withServer(Self.echoing(status: 200)) { server in
            let configuration = ModelServerConfiguration(
                endpoint: .openAICompatible(baseURL: server.baseURL), apiKey: Secret(Self.apiKey))
            try await ModelServerClient.withClient(configuration) { client in
                do {
                    for try await _ in ChatVLLM(client: client, model: "m").stream("hi") {}
                    Issue.record("a stream error was not reported")
                } catch {
                    guard case .streamError = error as? ModelServerError else { Issue.record("\(error)"); return }
                    expectNoSecret(in: error, pem: pem, "the stream error")
                }
            }
        }
    }

    @Test("the logging payload JSON and the completion error of a call whose server echoes the key show neither")
    func loggingPayloadOfAnEchoedKey() async throws {
        try await withServer(Self.echoing()) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            let options = CompletionOptions(apiBase: server.baseURL, apiKey: Secret(Self.apiKey))
            do {
                _ = try await llm.completion(model: "openai/m", messages: hi, options: options)
                Issue.record("a 401 succeeded")
            } catch {
                expectNoSecret(in: error, pem: "", "the completion error")
            }
            await llm.flush()
            let failure = try #require(recorder.payloads("failure").first)
            let json = String(decoding: try JSONEncoder().encode(failure), as: UTF8.self)
            #expect(!json.contains(Self.apiKey))
            #expect(json.contains("<redacted>"))
            expectNoSecret(in: failure, pem: "", "the failure payload")
            try await llm.shutdown()
        }
    }
}
