import AsyncHTTPClient
import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A key's budget and token limit under the probes that overspent them, through a real `catena serve` process: 300
/// requests at once, and 200 requests whose headers (and so key checks) arrive first and bodies later, 25 at a
/// time. On each store a single gateway counts with: SQLite, PostgreSQL without Redis, and Redis configured but
/// down (fail-open, the default). With `max_tokens` set the reservation covers the answer, so spend never passes
/// the budget. One probe at a time: each loads the machine on its own, and the other suites' timing with it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BudgetRaceTests {
    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres, redisDown
        var testDescription: String { rawValue }
        var isAvailable: Bool { self != .postgres || KeyStoreTests.postgresURL != nil }
    }

    /// Each answer: 5 prompt and 2 generated tokens, $0.000009; each request reserves 25 prompt and 2 generated
    /// tokens, $0.000029 (its 99-byte body).
    static let price = 0.000009
    static let budget = 50 * price

    static func configuration(upstream: FaultServer, store: Store) -> String {
        let general =
            switch store {
            case .sqlite, .redisDown:
                "database_path: \(FileManager.default.temporaryDirectory.path)/race-\(UUID().uuidString).sqlite"
            case .postgres: "database_url: os.environ/CATENA_POSTGRES_URL"
            }
        return ReplicaTests.configuration(upstream: upstream, redisPort: store == .redisDown ? 9 : nil, store: general)
    }

    /// Runs `body` with a gateway process for `store` in front of an upstream answering after 20 ms, and a client
    /// that opens as many connections as it is asked for.
    static func withGateway(
        _ store: Store, _ body: (RunningGateway, HTTPClient, FaultServer) async throws -> Void
    ) async throws {
        let upstream = try await FaultServer.start { _, _ in
            [.delay(.milliseconds(20))] + FaultServer.json(200, completionBody("ok"))
        }
        let gateway = try await GatewayProcess.start(configuration(upstream: upstream, store: store))
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 400
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await gateway.client(http).ready()
            try await body(gateway.client(http), http, upstream)
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
        #expect(try await gateway.terminate() == 0)
        try await upstream.shutdown()
    }

    /// Checks that every request was answered or refused for the budget, and that the key's spend, its spend log
    /// and the answers agree and stay within the budget; returns how many were answered.
    @discardableResult
    static func expectWithinBudget(
        _ statuses: [(Int, String?)], key: String, gateway: RunningGateway, probe: String
    ) async throws -> Int {
        let answered = statuses.filter { $0.0 == 200 }.count
        #expect(
            statuses.allSatisfy { $0.0 == 200 || ($0.0 == 400 && $0.1 == "budget_exceeded") },
            "\(statuses.filter { $0.0 != 200 }.prefix(3))")
        // Reservations of $0.000029 each: at least budget / reservation requests fit even all at once.
        #expect(answered >= Int(budget / 0.000029), "\(answered) answered")
        let logs = try await ReplicaTests.spendLogs(of: key, count: answered, through: gateway)
        #expect(logs.arrayValue?.count == answered)
        let spend = try await gateway.send("/key/info?key=\(key)").json["info"]?["spend"]?.doubleValue ?? -1
        #expect(abs(spend - Double(answered) * price) < 1e-12, "key spend \(spend) for \(answered) answers")
        #expect(spend <= budget + 1e-12, "overspent: \(spend) of \(budget) (\(spend / budget)×)")
        print("budget race, \(probe): \(answered) of \(statuses.count) answered, spend \(spend / budget)× the budget")
        return answered
    }

    @Test(arguments: Store.allCases.filter(\.isAvailable))
    func threeHundredRequestsAtOnceStayWithinTheBudget(store: Store) async throws {
        try await Self.withGateway(store) { gateway, _, _ in
            let key = try await ReplicaTests.key(#"{"max_budget":\#(Self.budget)}"#, through: gateway)
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<300 {
                    group.addTask {
                        // Arrivals spread over a second and a half: key records are read again meanwhile.
                        try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1_500)))
                        let reply = try await gateway.send("/v1/chat/completions", body: ReplicaTests.request, key: key)
                        return (reply.status, reply.json["error"]?["type"]?.stringValue)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await Self.expectWithinBudget(statuses, key: key, gateway: gateway, probe: "300 at once on \(store)")
        }
    }

    @Test(arguments: Store.allCases.filter(\.isAvailable))
    func requestsWhoseBodiesArriveLateStayWithinTheBudget(store: Store) async throws {
        try await Self.withGateway(store) { gateway, http, _ in
            let key = try await ReplicaTests.key(#"{"max_budget":\#(Self.budget)}"#, through: gateway)
            let gates = (0..<8).map { _ in AsyncGate() }
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<200 {
                    let gate = gates[index / 25]
                    group.addTask {
                        var request = HTTPClientRequest(url: gateway.baseURL + "/v1/chat/completions")
                        request.method = .POST
                        request.headers.add(name: "authorization", value: "Bearer \(key)")
                        request.headers.add(name: "content-type", value: "application/json")
                        let body = Array(ReplicaTests.request.utf8)
                        request.body = .stream(gate.body(body), length: .known(Int64(body.count)))
                        let response = try await http.execute(request, timeout: .seconds(60))
                        let bytes = try await response.body.collect(upTo: 1 << 20)
                        let json = (try? JSONValue(parsing: Array(bytes.readableBytesView))) ?? .null
                        return (Int(response.status.code), json["error"]?["type"]?.stringValue)
                    }
                }
                // Every key check passes while nothing is spent; then the bodies come, 25 at a time.
                try await Task.sleep(for: .milliseconds(500))
                for gate in gates {
                    gate.open()
                    try await Task.sleep(for: .milliseconds(100))
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await Self.expectWithinBudget(
                statuses, key: key, gateway: gateway, probe: "200 bodies held back on \(store)")
        }
    }

    @Test func tokensPerMinuteAreReservedBeforeTheCall() async throws {
        try await Self.withGateway(.sqlite) { gateway, _, upstream in
            // Each request reserves 27 tokens (25 of prompt, 2 of max_tokens) and uses 7: 50 at once with a limit
            // of 100 admit 3, where counting only at the end admitted all 50.
            let key = try await ReplicaTests.key(#"{"tpm_limit":100}"#, through: gateway)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await gateway.send("/v1/chat/completions", body: ReplicaTests.request, key: key).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let answered = statuses.filter { $0 == 200 }.count
            let refusedOtherwise = statuses.filter { status in status != 200 && status != 429 }
            #expect(refusedOtherwise.isEmpty, "\(statuses)")
            #expect(answered * 7 <= 100 && answered >= 3, "\(answered) answered")
            #expect(upstream.requests.count == answered)
        }
    }

    @Test func withFailClosedBudgetsAreRefusedWhileRedisIsDownAndTheOutageShows() async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let yaml = VirtualKeyTests.configuration(upstream: upstream.baseURL).replacingOccurrences(
            of: "general_settings:\n",
            with:
                "router_settings: {redis_host: 127.0.0.1, redis_port: 9}\ngeneral_settings:\n  fail_closed_budget_enforcement: true\n"
        )
        try await RunningGateway.with(yaml) { gateway in
            let budgeted = try await ReplicaTests.key(#"{"max_budget":1}"#, through: gateway)
            let unbudgeted = try await ReplicaTests.key("{}", through: gateway)
            let refused = try await gateway.send("/v1/chat/completions", body: VirtualKeyTests.hi, key: budgeted)
            #expect(refused.status == 503)
            #expect(refused.json["error"]?["code"] == "budget_unverifiable", "\(refused.text)")
            #expect(refused.header("retry-after") == "1")
            #expect(
                try await gateway.send("/v1/chat/completions", body: VirtualKeyTests.hi, key: unbudgeted).status == 200)
            let metrics = try await gateway.send("/metrics", key: nil).text
            #expect(metrics.contains(#"catena_gateway_store_up{store="redis"} 0"#), "\(metrics)")
        }
        try await upstream.shutdown()
    }
}

extension AsyncGate {
    /// `bytes` as a request body, sent once the gate is open.
    func body(_ bytes: [UInt8]) -> AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                await self.wait()
                continuation.yield(ByteBuffer(bytes: bytes))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
