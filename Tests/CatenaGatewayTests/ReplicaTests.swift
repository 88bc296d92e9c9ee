import AsyncHTTPClient
import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import Synchronization
import Testing

/// Two `catena serve` replicas on different ports sharing PostgreSQL (keys, spend) and Redis (limits, budget
/// reservations): one key's budget and rate hold across both, a key revoked on one stops on the other within a
/// second, and a replica stopped mid-run loses no spend while the other keeps serving.
@Suite(
    .timeLimit(.minutes(2)),
    .enabled(
        if: KeyStoreTests.postgresURL != nil && RedisServer.isAvailable,
        "set CATENA_POSTGRES_URL and install redis-server"))
struct ReplicaTests {
    /// Each answer: 5 prompt and 2 generated tokens, $0.000009 at the configured prices, after `delay`.
    static func upstream(delay: Duration = .zero) async throws -> FaultServer {
        try await FaultServer.start { _, _ in [.delay(delay)] + FaultServer.json(200, completionBody("ok")) }
    }

    static func configuration(upstream: FaultServer, redis: RedisServer) -> String {
        configuration(upstream: upstream, redisPort: redis.port, store: "database_url: os.environ/CATENA_POSTGRES_URL")
    }

    /// The priced model `local` in front of `upstream`, limits in Redis on `redisPort` (if any), keys in `store`.
    static func configuration(upstream: FaultServer, redisPort: Int?, store: String) -> String {
        """
        model_list:
          - model_name: local
            litellm_params:
              model: hosted_vllm/local
              api_base: \(upstream.baseURL)
              max_retries: 0
              input_cost_per_token: 0.000001
              output_cost_per_token: 0.000002
        \(redisPort.map { "router_settings: {redis_host: 127.0.0.1, redis_port: \($0)}\n" } ?? "")\
        general_settings: {master_key: sk-master, \(store)}
        """
    }

    /// 99 bytes: reserves 25 prompt and 2 generated tokens, $0.000029, for an answer that costs $0.000009.
    static let request =
        #"{"model":"local","messages":[{"role":"user","content":"Say hi, please, in a word."}],"max_tokens":2}"#

    /// Runs `body` with two replicas and a client for each.
    static func withReplicas(
        upstream: FaultServer, _ body: (RunningGateway, RunningGateway, GatewayProcess) async throws -> Void
    ) async throws {
        let redis = try await RedisServer.start()
        let yaml = configuration(upstream: upstream, redis: redis)
        async let first = GatewayProcess.start(yaml)
        async let second = GatewayProcess.start(yaml)
        let replicas = try await (first, second)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let (first, second) = (replicas.0.client(http), replicas.1.client(http))
            try await first.ready()
            try await second.ready()
            try await body(first, second, replicas.1)
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Makes a key through `gateway` with the settings in `json`.
    static func key(_ json: String, through gateway: RunningGateway) async throws -> String {
        let made = try await gateway.send("/key/generate", body: json)
        #expect(made.status == 200, "\(made.text)")
        return try #require(made.json["key"]?.stringValue)
    }

    /// The key's spend log, once it holds `count` entries (spend is written off the request path), or as it is
    /// after `patience`.
    static func spendLogs(
        of key: String, count: Int, through gateway: RunningGateway, patience: Duration = .seconds(5)
    ) async throws -> JSONValue {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < patience {
            let reply = try await gateway.send("/spend/logs?api_key=\(key)&limit=1000")
            if reply.status == 200, (reply.json.arrayValue?.count ?? 0) >= count { return reply.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await gateway.send("/spend/logs?api_key=\(key)&limit=1000").json
    }

    @Test func aBudgetHoldsAcrossReplicasUnder100ConcurrentRequests() async throws {
        let upstream = try await Self.upstream(delay: .milliseconds(20))
        try await Self.withReplicas(upstream: upstream) { first, second, _ in
            let budget = 0.0004
            let key = try await Self.key(#"{"max_budget":0.0004}"#, through: first)
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let reply = try await (index.isMultiple(of: 2) ? first : second).send(
                            "/v1/chat/completions", body: Self.request, key: key)
                        return (reply.status, reply.json["error"]?["type"]?.stringValue)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let answered = statuses.filter { $0.0 == 200 }.count
            #expect(statuses.allSatisfy { $0.0 == 200 || ($0.0 == 400 && $0.1 == "budget_exceeded") }, "\(statuses)")
            // Reservations of $0.000029 each: at least budget / reservation requests fit even all at once.
            #expect(answered >= Int(budget / 0.000029), "\(answered) answered")

            let logs = try await Self.spendLogs(of: key, count: answered, through: second)
            #expect(logs.arrayValue?.count == answered)
            let logged = logs.arrayValue?.reduce(0) { $0 + ($1["spend"]?.doubleValue ?? 0) } ?? -1
            let spend = try await second.send("/key/info?key=\(key)").json["info"]?["spend"]?.doubleValue ?? -1
            #expect(abs(spend - Double(answered) * 0.000009) < 1e-12, "key spend \(spend) for \(answered) answers")
            #expect(abs(logged - spend) < 1e-12)
            #expect(spend <= budget + 0.000009, "overspent: \(spend) of \(budget)")
        }
        try await upstream.shutdown()
    }

    @Test func rateLimitsAreSharedAndARevokedKeyStopsOnTheOtherReplicaWithinASecond() async throws {
        let upstream = try await Self.upstream()
        try await Self.withReplicas(upstream: upstream) { first, second, _ in
            // Limits count per minute on Redis's clock: a run that crosses into the next minute starts over with a
            // new key (the machine's clock is Redis's here).
            var limited: RunningGateway.Reply
            repeat {
                let minute = Int(Date().timeIntervalSince1970) / 60
                let key = try await Self.key(#"{"rpm_limit":4}"#, through: first)
                for index in 0..<4 {
                    let reply = try await (index.isMultiple(of: 2) ? first : second).send(
                        "/v1/chat/completions", body: Self.request, key: key)
                    #expect(reply.status == 200, "\(reply.text)")
                }
                limited = try await second.send("/v1/chat/completions", body: Self.request, key: key)
                if Int(Date().timeIntervalSince1970) / 60 == minute { break }
            } while true
            #expect(limited.status == 429)
            #expect(
                limited.json["error"]?["message"]?.stringValue?.contains("rpm_limit 4 reached") == true,
                "\(limited.text)")

            let other = try await Self.key("{}", through: first)
            #expect(try await second.send("/v1/models", key: other).status == 200)  // the second replica knows it now
            #expect(try await first.send("/key/delete", body: #"{"keys":["\#(other)"]}"#).status == 200)
            let revoked = ContinuousClock.now
            // The last request the second replica still accepted was sent within a second of the revocation (it
            // arrived later still, and was trusted from a read made before the revocation). Measuring send times
            // keeps a slow answer on a loaded machine out of the bound.
            var lastAccepted = revoked
            while true {
                let sent = ContinuousClock.now
                guard try await second.send("/v1/models", key: other).status == 200 else { break }
                lastAccepted = sent
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(lastAccepted - revoked <= .milliseconds(1_000))
        }
        try await upstream.shutdown()
    }

    @Test func aReplicaStoppedMidRunLosesNoSpendAndTheOtherKeepsServing() async throws {
        let upstream = try await Self.upstream(delay: .milliseconds(30))
        try await Self.withReplicas(upstream: upstream) { first, second, secondProcess in
            let key = try await Self.key("{}", through: first)
            let answeredBySecond = Tally()
            // 8 clients, each sending 10 requests in turn to either replica; the second replica stops after a while.
            let answered = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var (fromFirst, fromSecond) = (0, 0)
                        for index in 0..<10 {
                            let toSecond = (client + index).isMultiple(of: 2)
                            // Once it is gone, it is asked no more (AsyncHTTPClient retries a refused connection
                            // until the timeout); a request it accepted is answered before it stops, so a short
                            // timeout would count a slow answer on a loaded machine as lost.
                            if toSecond, secondProcess.process.isRunning,
                                let reply = try? await second.send(
                                    "/v1/chat/completions", body: Self.request, key: key, timeout: .seconds(5)),
                                reply.status == 200
                            {
                                answeredBySecond.count.add(1, ordering: .relaxed)
                                fromSecond += 1
                                continue
                            }
                            // The first replica always answers (and takes over once the second is gone).
                            let reply = try await first.send("/v1/chat/completions", body: Self.request, key: key)
                            #expect(reply.status == 200, "\(reply.text)")
                            if reply.status == 200 { fromFirst += 1 }
                        }
                        return (fromFirst, fromSecond)
                    }
                }
                // The second replica stops once it answered a few (however slow a loaded machine makes them).
                for _ in 0..<200 where answeredBySecond.count.load(ordering: .relaxed) < 4 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await secondProcess.terminate() == 0)
                return try await group.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
            }
            let total = answered.0 + answered.1
            #expect(total == 80)
            #expect(answered.1 > 0, "the second replica answered before it stopped")
            let logs = try await Self.spendLogs(of: key, count: total, through: first)
            #expect(logs.arrayValue?.count == total, "every answered request is in the spend log")
            let spend = try await first.send("/key/info?key=\(key)").json["info"]?["spend"]?.doubleValue ?? -1
            #expect(abs(spend - Double(total) * 0.000009) < 1e-12)
        }
        try await upstream.shutdown()
    }

    @Test func aKilledReplicasReservationsHealWithinAMinuteWhileALiveOnesAreRenewed() async throws {
        // "slow" requests are answered after 45 s: longer than a reservation's 30 s lease.
        let upstream = try await FaultServer.start { request, _ in
            (request.text.contains("slow") ? [.delay(.seconds(45))] : []) + FaultServer.json(200, completionBody("ok"))
        }
        try await Self.withReplicas(upstream: upstream) { first, second, secondProcess in
            let held = try await Self.key(#"{"max_parallel_requests":1}"#, through: first)
            let locked = try await Self.key(#"{"max_parallel_requests":3}"#, through: first)
            let slow = Self.request.replacingOccurrences(of: "Say hi", with: "Say slow")
            async let heldReply = first.send("/v1/chat/completions", body: slow, key: held, timeout: .seconds(90))
            for _ in 0..<3 {
                Task {
                    _ = try? await second.send("/v1/chat/completions", body: slow, key: locked, timeout: .seconds(90))
                }
            }
            while upstream.requests.count < 4 { try await Task.sleep(for: .milliseconds(20)) }
            secondProcess.process.killAndWait()  // SIGKILL: its three requests are never settled
            let killed = ContinuousClock.now
            #expect(try await first.send("/v1/chat/completions", body: Self.request, key: locked).status == 429)
            var healed: Duration?
            while healed == nil, ContinuousClock.now - killed < .seconds(60) {
                try await Task.sleep(for: .seconds(1))
                let reply = try await first.send("/v1/chat/completions", body: Self.request, key: locked)
                if reply.status == 200 { healed = .now - killed }
            }
            let heal = try #require(healed, "the killed replica's reservations still held after 60 s")
            #expect(heal <= .seconds(60))
            print("a SIGKILLed replica's reservations healed after \(heal)")
            // Past its first lease, the live request still holds its place: its lease was renewed.
            #expect(try await first.send("/v1/chat/completions", body: Self.request, key: held).status == 429)
            #expect(try await heldReply.status == 200)
        }
        try await upstream.shutdown()
    }
}

/// A count shared by concurrent tasks.
private final class Tally: Sendable {
    let count = Atomic<Int>(0)
}
