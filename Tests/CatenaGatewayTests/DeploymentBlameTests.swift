import Catena
import CatenaTestingServer
import Foundation
import Testing

/// One caller's bad requests must not take a model down for everyone: the upstream's 400s are the caller's, and
/// never cool the deployment down; what says the deployment is broken (its own key refused, 5xx) does.
@Suite(.timeLimit(.minutes(1)))
struct DeploymentBlameTests {
    /// A group of two deployments of the same upstream, cooled down after one failure: the upstream refuses a
    /// request saying "bad" with 400 (as a context window passed) and one saying "broken" with 500.
    static func withGateway(_ body: (RunningGateway, FaultServer) async throws -> Void) async throws {
        let upstream = try await FaultServer.start { request, _ in
            if request.text.contains("bad") {
                return FaultServer.json(
                    400, #"{"error":{"message":"This model's maximum context length is 8 tokens"}}"#)
            }
            if request.text.contains("broken") { return FaultServer.json(500, #"{"error":{"message":"internal"}}"#) }
            return FaultServer.json(200, completionBody("ok"))
        }
        let yaml = """
            model_list:
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: \(upstream.baseURL), max_retries: 0}
              - model_name: local
                litellm_params: {model: hosted_vllm/local, api_base: \(upstream.baseURL), max_retries: 0}
            router_settings: {allowed_fails: 1, cooldown_time: 60}
            """
        try await RunningGateway.with(yaml) { gateway in try await body(gateway, upstream) }
        try await upstream.shutdown()
    }

    static func request(_ text: String) -> String {
        #"{"model":"local","messages":[{"role":"user","content":"\#(text)"}]}"#
    }

    @Test func aCallersBadRequestsNeverCoolTheModelDown() async throws {
        try await Self.withGateway { gateway, upstream in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<20 {
                        let reply = try await gateway.send("/v1/chat/completions", body: Self.request("bad"), key: nil)
                        #expect(reply.status == 400)
                        #expect(
                            reply.json["error"]?["message"]?.stringValue?.contains("maximum context length") == true)
                    }
                }
                group.addTask {
                    for _ in 0..<20 {
                        let reply = try await gateway.send("/v1/chat/completions", body: Self.request("hi"), key: nil)
                        #expect(reply.status == 200, "\(reply.text)")
                    }
                }
                try await group.waitForAll()
            }
            // A bad request is asked of one deployment only: another would refuse it the same way.
            #expect(upstream.requests.count == 40)
        }
    }

    @Test func aDeploymentThatFailsCoolsDownAndTheOtherServes() async throws {
        try await Self.withGateway { gateway, upstream in
            // Both deployments fail once (each cools down), then none is left: 503 naming how they failed.
            let failed = try await gateway.send("/v1/chat/completions", body: Self.request("broken"), key: nil)
            #expect(failed.status == 502, "\(failed.text)")
            let cooling = try await gateway.send("/v1/chat/completions", body: Self.request("hi"), key: nil)
            #expect(cooling.status == 503)
            #expect(
                cooling.json["error"]?["message"]?.stringValue?.contains("server error (500)") == true,
                "\(cooling.text)")
            #expect(Int(cooling.header("retry-after") ?? "") ?? 0 > 50)
            #expect(upstream.requests.count == 2)
        }
    }
}
