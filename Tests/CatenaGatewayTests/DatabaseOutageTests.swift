import AsyncHTTPClient
import Catena
import CatenaTestServices
import CatenaTestingServer
import Foundation
import Testing

/// `catena serve` over a PostgreSQL server of the test's own that it stops and starts again under load: known keys
/// keep being served at once from memory, an unknown key and the admin routes get a 503 in the API's shape within
/// their bounds, readiness says the database is away, and the spend waits and is written once it is back; SIGTERM
/// always ends the process.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PostgresServer.isAvailable, "install postgresql"))
struct DatabaseOutageTests {
    static func configuration(upstream: FaultServer) -> String {
        """
        model_list:
          - model_name: local
            litellm_params: {model: hosted_vllm/local, api_base: \(upstream.baseURL), max_retries: 0}
        general_settings: {master_key: sk-master, database_url: os.environ/OUTAGE_DATABASE_URL}
        """
    }

    /// Runs `body` with a gateway process over `database`.
    static func withGateway(
        over database: PostgresServer, _ body: (RunningGateway, GatewayProcess) async throws -> Void
    ) async throws {
        let upstream = try await FaultServer.start { _, _ in FaultServer.json(200, completionBody("ok")) }
        let process = try await GatewayProcess.start(
            configuration(upstream: upstream), environment: ["OUTAGE_DATABASE_URL": database.url])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(process.client(http), process)
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await upstream.shutdown()
    }

    /// How long a request may take during the outage before it counts as hung: a request that waits for the
    /// database instead of its bounded lookup fails here (the old behaviour held it for the whole outage).
    static let hung: Duration = .seconds(10)

    @Test func anOutageDegradesWithinSecondsAndLosesNoSpend() async throws {
        let database = try await PostgresServer.start()
        let request = #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#
        try await Self.withGateway(over: database) { gateway, process in
            let key = try await ReplicaTests.key("{}", through: gateway)
            let unused = try await ReplicaTests.key("{}", through: gateway)
            #expect(try await gateway.send("/v1/chat/completions", body: request, key: key).status == 200)
            #expect(try await gateway.send("/health/readiness", key: nil).status == 200)

            try database.stop()
            // A known key is served from memory: at once, or after one lookup bounded by a second (never held for
            // the outage, which lasts until the database is started again below).
            var slowest = Duration.zero
            for _ in 0..<12 {
                let sent = ContinuousClock.now
                let reply = try await gateway.send("/v1/chat/completions", body: request, key: key, timeout: Self.hung)
                slowest = max(slowest, .now - sent)
                #expect(reply.status == 200, "\(reply.text)")
                try await Task.sleep(for: .milliseconds(250))
            }
            print("a known key during the PostgreSQL outage: the slowest of 12 answers took \(slowest)")

            let unknown = try await gateway.send("/v1/models", key: unused, timeout: Self.hung)
            #expect(unknown.status == 503)
            #expect(unknown.json["error"]?["code"] == "key_store_unavailable", "\(unknown.text)")
            #expect(unknown.header("retry-after") == "1")

            let admin = try await gateway.send("/key/info?key=\(key)", timeout: Self.hung)
            #expect(admin.status == 503)
            #expect(admin.json["error"]?["code"] == "key_store_unavailable", "\(admin.text)")

            let readiness = try await gateway.send("/health/readiness", key: nil)
            #expect(readiness.status == 503)
            #expect(readiness.json["db"]?.stringValue?.hasPrefix("unavailable") == true, "\(readiness.text)")
            #expect(try await gateway.send("/health/liveness", key: nil).status == 200)
            let metrics = try await gateway.send("/metrics", key: nil).text
            #expect(metrics.contains(#"catena_gateway_store_up{store="key store"} 0"#))

            try database.resume()
            // The spend of the 13 answers is written once the database is back (its writer retries every 5 s at most).
            let logs = try await ReplicaTests.spendLogs(of: key, count: 13, through: gateway, patience: .seconds(30))
            #expect(logs.arrayValue?.count == 13)
            #expect(try await gateway.send("/health/readiness", key: nil).status == 200)
            #expect(try await process.terminate() == 0)
        }
    }

    @Test func startedWithTheDatabaseAwayItIsNotReadyAndStopsOnSIGTERM() async throws {
        let database = try await PostgresServer.start()
        try database.stop()
        try await Self.withGateway(over: database) { gateway, process in
            let readiness = try await gateway.send("/health/readiness", key: nil)
            #expect(readiness.status == 503, "\(readiness.text)")
            #expect(try await gateway.send("/health/liveness", key: nil).status == 200)
            let refused = try await gateway.send("/v1/models", key: "sk-unknown", timeout: Self.hung)
            #expect(refused.status == 503, "\(refused.text)")
            // terminate() gives the process ten seconds: a process that ignored SIGTERM reports -1.
            #expect(try await process.terminate() == 0)
        }
    }
}
