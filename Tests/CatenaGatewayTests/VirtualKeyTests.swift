import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import Testing

/// Virtual keys on the embedded SQLite store: made, used, limited, billed and revoked through the admin endpoints.
@Suite(.timeLimit(.minutes(1)))
struct VirtualKeyTests {
    /// A gateway whose one model, `local`, costs $0.000001 per prompt token and $0.000002 per generated one, in front
    /// of `upstream`; a second model, `other`, is served too.
    static func configuration(upstream: String) -> String {
        GatewayServerTests.configuration(baseURL: upstream).replacingOccurrences(
            of: "      max_retries: 0\n",
            with: """
                      max_retries: 0
                      input_cost_per_token: 0.000001
                      output_cost_per_token: 0.000002
                  - model_name: other
                    litellm_params: {model: hosted_vllm/other, api_base: \(upstream)}

                """)
    }

    static let hi = #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#

    @Test func aKeyIsMadeUsedBilledLimitedByItsBudgetAndRevoked() async throws {
        // Each answer: 5 prompt tokens and 2 generated ones, $0.000009.
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        try await RunningGateway.with(Self.configuration(upstream: upstream.baseURL)) { gateway in
            let made = try await gateway.send(
                "/key/generate",
                body:
                    #"{"models":["local"],"max_budget":0.00004,"key_alias":"ci","team_id":"t1","metadata":{"owner":"tests"}}"#
            )
            #expect(made.status == 200, "\(made.text)")
            let key = try #require(made.json["key"]?.stringValue)
            #expect(key.hasPrefix("sk-") && key.count == 67)
            #expect(made.json["token"]?.stringValue != key)  // the digest, not the key

            // Each call reserves what its 61-byte body may cost (16 prompt tokens, $0.000016) before it is made: three
            // fit the budget (the third starts at $0.000018); the fourth ($0.000027 + $0.000016) would not.
            for _ in 0..<3 {
                #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 200)
            }
            let over = try await gateway.send("/v1/chat/completions", body: Self.hi, key: key)
            #expect(over.status == 400)
            #expect(over.json["error"]?["type"] == "budget_exceeded")
            #expect(
                over.json["error"]?["message"]?.stringValue?.contains("this request may cost up to $1.6e-05") == true)

            // Only its models: `other` is refused, and the list shows `local` alone.
            let refused = try await gateway.send(
                "/v1/chat/completions", body: Self.hi.replacingOccurrences(of: "local", with: "other"), key: key)
            #expect(refused.status == 403)
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("it may use: local") == true)
            let unknown = try await gateway.send(
                "/v1/chat/completions", body: Self.hi.replacingOccurrences(of: "local", with: "big"), key: key)
            #expect(unknown.status == 404)
            #expect(unknown.json["error"]?["message"]?.stringValue?.hasSuffix("available models: local") == true)
            #expect(try await gateway.send("/v1/models", key: key).json["data"]?.arrayValue?.count == 1)

            // The spend: per call in the log, in total on the key.
            let info = try await gateway.send("/key/info?key=\(key)")
            #expect(info.json["info"]?["key_alias"] == "ci")
            #expect(abs((info.json["info"]?["spend"]?.doubleValue ?? 0) - 0.000027) < 1e-12)
            let logs = try await gateway.send("/spend/logs?api_key=\(key)")
            #expect(logs.json.arrayValue?.count == 3)
            #expect(logs.json[0]?["prompt_tokens"] == 5)
            #expect(logs.json[0]?["team_id"] == "t1")
            #expect(logs.json[0]?["model"] == "local")

            // Prometheus text: the requests, the key's spend and remaining budget, Catena's GenAI metrics; no key needed.
            let metrics = try await gateway.send("/metrics", key: nil)
            #expect(metrics.status == 200)
            for series in [
                #"catena_gateway_requests_total{route="/v1/chat/completions",status="200"} 3"#,
                #"catena_gateway_requests_total{route="/v1/chat/completions",status="400"} 1"#,
                #"catena_gateway_spend_usd_total{key="ci",model="local"} 2.69999"#,  // $0.000027
                #"catena_gateway_key_remaining_budget_usd{key="ci"} 1.3"#,
                #"gen_ai_client_token_usage_bucket{gen_ai_operation_name="chat""#,
                #"gen_ai_client_operation_duration_count{gen_ai_operation_name="chat""#,
            ] {
                #expect(metrics.text.contains(series), "\(series) missing in\n\(metrics.text)")
            }

            // A key cannot manage keys; the master key revokes it, and it stops working at once.
            #expect(try await gateway.send("/key/generate", body: "{}", key: key).status == 403)
            let deleted = try await gateway.send("/key/delete", body: #"{"keys":["\#(key)"]}"#)
            #expect(deleted.json["deleted_keys"]?.arrayValue?.count == 1)
            let revoked = try await gateway.send("/v1/models", key: key)
            #expect(revoked.status == 401)
        }
        try await upstream.shutdown()
    }

    @Test func anExpiredKeyOrAnUpdatedOneIsHeldToItsNewSettings() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        try await RunningGateway.with(Self.configuration(upstream: upstream.baseURL)) { gateway in
            // The key works, then its duration is cut to a second: it expires, whenever the busy machine gets there
            // (waiting for the expiry, not for a fixed time).
            let brief = try #require(
                try await gateway.send("/key/generate", body: #"{"duration":"1h"}"#).json["key"]?.stringValue)
            #expect(try await gateway.send("/v1/models", key: brief).status == 200)
            let cut = try await gateway.send("/key/update", body: #"{"key":"\#(brief)","duration":"1s"}"#)
            #expect(cut.status == 200)
            var expired = try await gateway.send("/v1/models", key: brief)
            for _ in 0..<600 where expired.status == 200 {
                try await Task.sleep(for: .milliseconds(50))
                expired = try await gateway.send("/v1/models", key: brief)
            }
            #expect(expired.status == 401)
            #expect(expired.json["error"]?["message"]?.stringValue?.contains("expired") == true)

            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 200)
            let updated = try await gateway.send("/key/update", body: #"{"key":"\#(key)","max_budget":0}"#)
            #expect(updated.json["info"]?["max_budget"] == 0)
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 400)

            let bad = try await gateway.send("/key/generate", body: #"{"duration":"soon"}"#)
            #expect(bad.status == 400)
            #expect(bad.json["error"]?["param"] == "duration")
        }
        try await upstream.shutdown()
    }

    /// Where the limits are counted.
    enum Counting: String, CaseIterable, CustomTestStringConvertible {
        /// In the gateway's memory.
        case inMemory
        /// In Redis, shared by replicas.
        case inRedis
        /// Redis configured but unreachable: each replica counts alone, and requests are served.
        case redisUnreachable
        var testDescription: String { rawValue }
    }

    @Test(arguments: Counting.allCases.filter { $0 != .inRedis || RedisServer.isAvailable })
    func rateTokenAndParallelLimitsAnswer429NamingTheLimit(counting: Counting) async throws {
        let upstream = try await FaultServer.start { request, _ in
            // A request saying "slow" is answered after 3 s: long enough for a second request to be checked while the
            // first is in flight, even on a loaded machine (500 ms was not, in CI).
            (request.text.contains("slow") ? [.delay(.seconds(3))] : []) + FaultServer.json(200, completionBody("ok"))
        }
        let redis = counting == .inRedis ? try await RedisServer.start() : nil
        let redisPort = redis?.port ?? (counting == .redisUnreachable ? 9 : nil)
        let yaml =
            Self.configuration(upstream: upstream.baseURL)
            + (redisPort.map { "router_settings: {redis_host: 127.0.0.1, redis_port: \($0)}\n" } ?? "")
        try await RunningGateway.with(yaml) { gateway in
            func key(_ settings: String) async throws -> String {
                try #require(try await gateway.send("/key/generate", body: settings).json["key"]?.stringValue)
            }
            let twoPerMinute = try await key(#"{"rpm_limit":2}"#)
            for expected in [200, 200, 429] {
                let reply = try await gateway.send("/v1/chat/completions", body: Self.hi, key: twoPerMinute)
                #expect(reply.status == expected)
                if expected == 429 {
                    #expect(reply.json["error"]?["message"]?.stringValue?.contains("rpm_limit 2") == true)
                }
            }

            // A call reserves 16 tokens (its 61-byte body) and uses 7: the second's reservation would pass 20.
            let fewTokens = try await key(#"{"tpm_limit":20}"#)
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: fewTokens).status == 200)
            let overTokens = try await gateway.send("/v1/chat/completions", body: Self.hi, key: fewTokens)
            #expect(overTokens.status == 429)
            #expect(
                overTokens.json["error"]?["message"]?.stringValue?.contains(
                    "tpm_limit 20 reached (7 tokens used or reserved, this request may use 16)") == true)

            let oneAtATime = try await key(#"{"max_parallel_requests":1}"#)
            let slow = Self.hi.replacingOccurrences(of: "hi", with: "slow")
            let sentBefore = upstream.requests.count
            async let first = gateway.send("/v1/chat/completions", body: slow, key: oneAtATime)
            // The second request leaves once the first reached the upstream (so it is in flight).
            while upstream.requests.count == sentBefore { try await Task.sleep(for: .milliseconds(5)) }
            let second = try await gateway.send("/v1/chat/completions", body: slow, key: oneAtATime)
            #expect(try await first.status == 200)
            #expect(second.status == 429)
            #expect(second.json["error"]?["message"]?.stringValue?.contains("max_parallel_requests 1") == true)
            // Once the first ended, the key may send again.
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: oneAtATime).status == 200)
            #expect(try await gateway.send("/key/info?key=\(oneAtATime)").json["info"]?["max_parallel_requests"] == 1)
        }
        try await upstream.shutdown()
    }

    /// (A negative count is refused as the answer is read, naming the field.)
    @Test func absurdTokenCountsFromTheUpstreamAreStoredBoundedAndSumWithoutOverflow() async throws {
        let absurd =
            #"{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"#
            + #""finish_reason":"stop"}],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":7,"total_tokens":1}}"#
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, absurd) }
        try await RunningGateway.with(Self.configuration(upstream: upstream.baseURL)) { gateway in
            let key = try #require(try await gateway.send("/key/generate", body: "{}").json["key"]?.stringValue)
            for _ in 0..<3 {
                let reply = try await gateway.send("/v1/chat/completions", body: Self.hi, key: key)
                #expect(reply.status == 200, "\(reply.text)")
            }
            let logs = try await ReplicaTests.spendLogs(of: key, count: 3, through: gateway).arrayValue ?? []
            #expect(logs.count == 3)
            #expect(logs.allSatisfy { $0["prompt_tokens"] == .int(1 << 32) && $0["completion_tokens"] == 7 })
            let today = Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
            let days = try await gateway.send("/spend/logs?api_key=\(key)&start_date=\(today)&end_date=\(today)")
            #expect(days.json[0]?["requests"] == 3, "\(days.text)")
            #expect(days.json[0]?["prompt_tokens"] == .int(3 << 32), "\(days.text)")
        }
        try await upstream.shutdown()
    }

    @Test func aBudgetPeriodStartsTheSpendAgain() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let time = ManualGatewayClock()
        try await RunningGateway.with(Self.configuration(upstream: upstream.baseURL), clock: time.clock) { gateway in
            let made = try await gateway.send("/key/generate", body: #"{"max_budget":0.00002,"budget_duration":"4s"}"#)
            let key = try #require(made.json["key"]?.stringValue)
            #expect(made.json["budget_duration"] == 4)
            // $0.000009 spent; the next call's reservation ($0.000016) would pass the $0.00002 budget.
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 200)
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 400)
            // Spend is written off the request path: a write landing after the period's reset would count in the
            // next period (the safe side for a budget).
            _ = try await ReplicaTests.spendLogs(of: key, count: 1, through: gateway)
            time.advance(by: .milliseconds(3_900))
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 400)
            // The period ended, and so did the second the key read at 3.9 s is trusted unread.
            time.advance(by: .milliseconds(1_100))
            #expect(try await gateway.send("/v1/chat/completions", body: Self.hi, key: key).status == 200)
            let info = try await gateway.send("/key/info?key=\(key)").json["info"]
            #expect(abs((info?["spend"]?.doubleValue ?? 0) - 0.000009) < 1e-12, "\(String(describing: info))")
            #expect(try await gateway.send("/spend/logs?api_key=\(key)").json.arrayValue?.count == 2)
        }
        try await upstream.shutdown()
    }

}
