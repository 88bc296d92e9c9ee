import Catena
import CatenaOCI
import CatenaOpenAI
import CatenaTestingServer
import Crypto
import _CryptoExtras
import Foundation
import Testing
import CatenaTestServices

/// A model deployment on loopback that checks every request's signature with the public key, as OCI does.
@Suite struct OCIDeploymentTests {
    static let publicKey = try! _RSA.Signing.PrivateKey(unsafePEMRepresentation: OCISigningTests.pem).publicKey

    /// Whether the request's signature, body hash and length check out.
    static func verify(_ request: FaultServer.Request) -> Bool {
        guard let authorization = request.headers["authorization"],
            let names = parameter("headers", in: authorization)?.split(separator: " ").map(String.init),
            let signature = parameter("signature", in: authorization).flatMap({ Data(base64Encoded: $0) }),
            request.headers["x-content-sha256"] == Data(SHA256.hash(data: request.body)).base64EncodedString(),
            request.headers["content-length"] == String(request.body.count)
        else { return false }
        let lines = names.map { name in
            name == "(request-target)"
                ? "(request-target): \(request.method.lowercased()) \(request.uri)"
                : "\(name): \(request.headers[name] ?? "")"
        }
        return publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: Data(lines.joined(separator: "\n").utf8),
            padding: .insecurePKCS1v1_5)
    }

    static func parameter(_ name: String, in authorization: String) -> String? {
        guard let start = authorization.range(of: "\(name)=\"") else { return nil }
        let rest = authorization[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Answers signed requests on `/predict` (JSON) and `/predictWithResponseStream` (SSE); 401 otherwise.
    static let deployment: FaultServer.Script = { request, _ in
        guard verify(request) else {
            return FaultServer.json(
                401,
                #"{"code":"NotAuthenticated","message":"The required information to complete authentication was not provided or was incorrect."}"#
            )
        }
        guard request.headers["route"] == "/v1/chat/completions" else {
            return FaultServer.json(404, #"{"code":"NotAuthorizedOrNotFound","message":"unknown route"}"#)
        }
        if request.uri.hasSuffix("/predictWithResponseStream") {
            return [
                .head(200, FaultServer.sse), FaultServer.chunk("signed "), FaultServer.chunk("stream"),
                FaultServer.event("[DONE]"), .end,
            ]
        }
        return request.uri.hasSuffix("/predict")
            ? FaultServer.json(200, completionBody("signed answer")) : FaultServer.json(404, "{}")
    }

    func withDeployment(signer: any RequestSigner, _ body: (FaultServer, ChatVLLM) async throws -> Void) async throws {
        let server = try await FaultServer.start(Self.deployment)
        defer { Task { try? await server.shutdown() } }
        let endpoint = ServerEndpoint.ociModelDeployment(
            predictURL: "http://127.0.0.1:\(server.port)/ocid1.datasciencemodeldeployment.oc1.iad.test/predict")
        try await ModelServerClient.withClient(.init(endpoint: endpoint, signer: signer, retry: instantRetry)) {
            client in
            try await body(server, ChatVLLM(client: client, model: "odsc-llm"))
        }
    }

    @Test func signedInvokeAndStreamReachTheDeployment() async throws {
        let signer = try OCIRequestSigner(keyID: OCISigningTests.keyID, privateKeyPEM: OCISigningTests.pem)
        try await withDeployment(signer: signer) { server, model in
            let answer = try await model.invoke("hi")
            let chunks = try await model.stream("hi").collect()
            #expect(answer.text == "signed answer")
            #expect(chunks.map(\.text) == ["signed ", "stream"])
            #expect(
                server.requests.map(\.uri) == [
                    "/ocid1.datasciencemodeldeployment.oc1.iad.test/predict",
                    "/ocid1.datasciencemodeldeployment.oc1.iad.test/predictWithResponseStream",
                ])
            #expect(server.requests.last?.headers["enable-streaming"] == "true")
            #expect(try JSONValue(parsing: try #require(server.requests.first).text)["model"] == "odsc-llm")
        }
    }

    @Test func tamperedBodyIsRejected() async throws {
        let signer = TamperingSigner(
            base: try OCIRequestSigner(keyID: OCISigningTests.keyID, privateKeyPEM: OCISigningTests.pem))
        try await withDeployment(signer: signer) { server, model in
            await #expect {
                try await model.invoke("hi")
            } throws: { error in
                guard case .authentication(401, let message) = error as? ModelServerError else { return false }
                return message.contains("authentication")
            }
            #expect(server.requests.count == 1)
        }
    }
}

/// Signs a body one byte longer than the one sent, as a request altered in transit would look.
struct TamperingSigner: RequestSigner {
    let base: OCIRequestSigner
    func signatureHeaders(method: String, url: URL, headers: [String: String], body: [UInt8]) throws -> [String: String]
    {
        var signed = try base.signatureHeaders(method: method, url: url, headers: headers, body: body + [0x20])
        signed["content-length"] = String(body.count)
        return signed
    }
}
