import Catena
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing

/// Whole requests to a plain `http://` server go over kept-alive connections: reused while the server keeps them,
/// replaced when it closed them, and every failure the server causes reaches the caller as an error.
@Suite(.timeLimit(.minutes(1)))
struct KeptAliveConnectionTests {
    static let request = Array(#"{"model":"m","messages":[]}"#.utf8)
    static let answer = FaultServer.json(200, #"{"ok":true}"#)

    /// Runs `body` with a client of `server` whose retry policy makes one attempt only.
    static func withClient(
        of server: FaultServer, readTimeout: Duration = .seconds(30), _ body: (ModelServerClient) async throws -> Void
    ) async throws {
        var configuration = ModelServerConfiguration.openAICompatible(baseURL: server.baseURL)
        configuration.retry.maxAttempts = 1
        configuration.readTimeout = readTimeout
        try await ModelServerClient.withClient(configuration, body)
    }

    /// The body of the answer to one chat completion request through `client`.
    static func send(_ client: ModelServerClient) async throws -> String {
        String(decoding: try await client.responseBody(route: .chatCompletions, body: request), as: UTF8.self)
    }

    @Test func consecutiveRequestsShareOneConnection() async throws {
        let server = try await FaultServer.start { _, _ in Self.answer }
        try await Self.withClient(of: server) { client in
            for _ in 0..<3 {
                let answer = try await Self.send(client)
                #expect(answer == #"{"ok":true}"#)
            }
        }
        #expect(server.requests.count == 3)
        #expect(server.connections == 1)
        try await server.shutdown()
    }

    @Test func anAnswerSayingCloseIsTheConnectionsLast() async throws {
        let server = try await FaultServer.start { _, _ in
            FaultServer.json(200, #"{"ok":true}"#, headers: ["connection": "close"])
        }
        try await Self.withClient(of: server) { client in
            for _ in 0..<2 {
                let answer = try await Self.send(client)
                #expect(answer == #"{"ok":true}"#)
            }
        }
        #expect(server.connections == 2)
        try await server.shutdown()
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplaced() async throws {
        // The server closes the first connection after answering, and drops the second request it receives on a
        // connection that answered before: both are the server closing an idle connection.
        let server = try await FaultServer.start { _, index in
            switch index {
            case 0: Self.answer + [.drop]
            case 2: [.drop]
            default: Self.answer
            }
        }
        try await Self.withClient(of: server) { client in
            for _ in 0..<3 {
                let answer = try await Self.send(client)
                #expect(answer == #"{"ok":true}"#)
            }
        }
        #expect(server.requests.count == 4)
        #expect(server.connections == 3)
        try await server.shutdown()
    }

    @Test func aNewConnectionClosedBeforeAnAnswerIsAnError() async throws {
        let server = try await FaultServer.start { _, _ in [.drop] }
        try await Self.withClient(of: server) { client in
            await #expect {
                try await Self.send(client)
            } throws: { error in
                guard case .connection(let reason) = error as? ModelServerError else { return false }
                return reason.contains("remoteConnectionClosed")
            }
        }
        #expect(server.requests.count == 1)
        try await server.shutdown()
    }

    @Test func anAnswerCutShortIsAnError() async throws {
        let server = try await FaultServer.start { _, _ in
            [.head(200, ["content-type": "application/json", "content-length": "100"]), .body(#"{"ok":"#), .drop]
        }
        try await Self.withClient(of: server) { client in
            await #expect(throws: ModelServerError.self) { try await Self.send(client) }
        }
        #expect(server.requests.count == 1)
        try await server.shutdown()
    }

    @Test func anErrorStatusCarriesTheServersBody() async throws {
        let server = try await FaultServer.start { _, _ in FaultServer.json(503, #"{"error":"busy"}"#) }
        try await Self.withClient(of: server) { client in
            await #expect {
                try await Self.send(client)
            } throws: { error in
                guard case .server(503, let message) = error as? ModelServerError else { return false }
                return message.contains("busy")
            }
        }
        try await server.shutdown()
    }

    @Test func anAnswerNotInTimeIsATimeoutAndClosesTheConnection() async throws {
        let gate = FaultServer.Gate()
        let server = try await FaultServer.start { _, _ in [.wait(gate)] + Self.answer }
        try await Self.withClient(of: server, readTimeout: .milliseconds(100)) { client in
            await #expect {
                try await Self.send(client)
            } throws: { error in
                guard case .timeout = error as? ModelServerError else { return false }
                return true
            }
        }
        gate.open()
        try await Self.closed(server, afterRequest: 0)
        try await server.shutdown()
    }

    @Test func cancellingARequestClosesItsConnection() async throws {
        let gate = FaultServer.Gate()
        let server = try await FaultServer.start { _, _ in [.wait(gate)] + Self.answer }
        try await Self.withClient(of: server) { client in
            let call = Task { try await Self.send(client) }
            while server.requests.isEmpty { await Task.yield() }
            call.cancel()
            await #expect(throws: (any Error).self) { try await call.value }
            try await Self.closed(server, afterRequest: 0)
        }
        gate.open()
        try await server.shutdown()
    }

    /// Waits until the connection that carried request `index` is closed (the client's close reaches the server
    /// on its own time).
    static func closed(_ server: FaultServer, afterRequest index: Int) async throws {
        while server.connectionClosed(afterRequest: index) == nil { try await Task.sleep(for: .milliseconds(5)) }
    }
}
