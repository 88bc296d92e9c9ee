import AsyncHTTPClient
import Catena
import CatenaTestingServer
import CatenaTestServices
import Foundation
import Testing

/// `catena serve` reaches Oracle Cloud model deployments (`oci/…`) as `catena complete` does: each request signed
/// with the `~/.oci/config` profile and sent to the deployment's predict URL.
@Suite(.timeLimit(.minutes(1)))
struct OCIGatewayTests {
    @Test func anOCIDeploymentIsServedWithSignedRequests() async throws {
        let profile = try OCITestProfile()
        defer { profile.remove() }
        let deployment = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("signed")) }
        let gateway = try await GatewayProcess.start(
            """
            model_list:
              - model_name: oci-llm
                litellm_params:
                  model: oci/odsc-llm
                  api_base: \(deployment.baseURL)/ocid1.datasciencemodeldeployment.oc1..x/predict
                  max_retries: 0
            """, environment: ["OCI_CONFIG_FILE": profile.configPath])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let reply = try await gateway.client(http).send(
            "/v1/chat/completions", body: #"{"model":"oci-llm","messages":[{"role":"user","content":"hi"}]}"#, key: nil)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["choices"]?[0]?["message"]?["content"] == "signed")
        let request = try #require(deployment.requests.first)
        #expect(request.uri.hasSuffix("/ocid1.datasciencemodeldeployment.oc1..x/predict"))
        #expect(request.headers["route"] == "/v1/chat/completions")
        #expect(request.headers["authorization"]?.contains(#"keyId="\#(OCITestProfile.keyID)""#) == true)
        try await http.shutdown()
        #expect(try await gateway.terminate() == 0)
        try await deployment.shutdown()
    }
}
