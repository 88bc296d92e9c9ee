import Catena
import CatenaCompletion
import CatenaOCI
import CatenaOpenAI
import CatenaTestingServer
import CatenaTestServices
import Foundation
import Testing

/// `oci/<model>`: the deployment's predict URL and an `~/.oci/config` profile from the environment, every request
/// signed.
@Suite("OCI provider", .timeLimit(.minutes(1)))
struct OCIProviderTests {
    @Test("oci/odsc-llm posts to the predict URL with the vLLM route header and an RSA signature from the profile")
    func signedDeploymentCall() async throws {
        let profile = try OCITestProfile()
        defer { profile.remove() }
        let configPath = profile.configPath
        try await withServer(answering("signed")) { server in
            let predictURL = "http://127.0.0.1:\(server.port)/ocid1.datasciencemodeldeployment.oc1..x/predict"
            let provider = OCIModelDeploymentProvider(
                environment: ["OCI_CONFIG_FILE": configPath, "OCI_MODEL_DEPLOYMENT_ENDPOINT": predictURL],
                retry: instantRetry)
            let recorder = RecordingLogger()
            let llm = CompletionClient(providers: ProviderRegistry([provider]), loggers: [recorder])
            #expect(try await llm.completion(model: "oci/odsc-llm", messages: hi).text == "signed")
            let request = try #require(server.requests.first)
            #expect(request.uri == "/ocid1.datasciencemodeldeployment.oc1..x/predict")
            #expect(request.headers["route"] == "/v1/chat/completions")
            let authorization = try #require(request.headers["authorization"])
            #expect(authorization.hasPrefix(#"Signature version="1""#))
            #expect(authorization.contains(#"keyId="\#(OCITestProfile.keyID)""#))
            #expect(authorization.contains(#"algorithm="rsa-sha256""#))
            await llm.flush()
            #expect(recorder.payloads("success").first?.apiBase == predictURL)
            #expect(recorder.payloads("success").first?.provider == "oci")
            #expect(recorder.payloads("success").first?.maskedAPIKey == nil)
            try await llm.shutdown()
        }
        let unconfigured = CompletionClient(providers: ProviderRegistry([OCIModelDeploymentProvider(environment: [:])]))
        do {
            _ = try await unconfigured.completion(model: "oci/odsc-llm", messages: hi)
            Issue.record("expected a configuration error")
        } catch let error as CompletionError {
            #expect("\(error)".contains("OCI_MODEL_DEPLOYMENT_ENDPOINT"))
        }
        try await unconfigured.shutdown()
    }
}
