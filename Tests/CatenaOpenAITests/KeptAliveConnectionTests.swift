import Catena
import CatenaOpenAI
import CatenaTestingServer
import Testing

/// Whole requests to a plain `http://` server go over kept-alive connections of Catena's own: reused, replaced
/// when the server closes them, closed when the caller leaves, and never trusted with a cut or oversized answer.
@Suite(.timeLimit(.minutes(1))) struct KeptAliveConnectionTests {
    let once = RetryPolicy(maxAttempts: 1)
    let request = Array(#"{"model":"m","messages":[]}"#.utf8)

    @Test func consecutiveRequestsShareOneConnection() async throws {
        try await withFaultServer({ _, index in FaultServer.json(200, #"{"n":\#(index)}"#) }) { server, client in
            for index in 0..<3 {
                let body = try await client.responseBody(route: .chatCompletions, body: request)
                #expect(String(decoding: body, as: UTF8.self) == #"{"n":\#(index)}"#)
            }
            #expect(server.connections == 1)
            #expect(server.requests.map(\.uri) == Array(repeating: "/v1/chat/completions", count: 3))
            #expect(server.requests.allSatisfy { $0.headers["host"] == "127.0.0.1:\(server.port)" })
        }
    }

    @Test("a connection the server closed after its answer is replaced, without a retry of the policy")
    func aConnectionClosedByTheServerIsReplaced() async throws {
        try await withFaultServer(
            retry: once,
            { _, index in FaultServer.json(200, #"{"n":\#(index)}"#) + (index == 0 ? [.drop] : []) }
        ) { server, client in
            _ = try await client.responseBody(route: .chatCompletions, body: request)
            let second = try await client.responseBody(route: .chatCompletions, body: request)
            #expect(String(decoding: second, as: UTF8.self) == #"{"n":1}"#)
            #expect(server.connections == 2)
        }
    }

    @Test func anAnswerCutShortIsAConnectionError() async throws {
        try await withFaultServer(
            retry: once, { _, _ in [.head(200, ["content-length": "100"]), .body(#"{"id":"#), .drop] }
        ) { _, client in
            await #expect {
                try await client.responseBody(route: .chatCompletions, body: request)
            } throws: { error in
                guard case .connection(let message) = error as? ModelServerError else { return false }
                return message.contains("middle of its answer")
            }
        }
    }

    @Test func anAnswerPastTheSizeLimitIsRefused() async throws {
        let megabyte = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        try await withFaultServer(
            retry: once, readTimeout: .seconds(50),
            { _, _ in
                [.head(200, ["content-length": "\(65 << 20)"])] + Array(repeating: .bytes(megabyte), count: 65) + [.end]
            }
        ) { _, client in
            await #expect {
                try await client.responseBody(route: .chatCompletions, body: request)
            } throws: { error in
                guard case .connection(let message) = error as? ModelServerError else { return false }
                return message.contains("larger than \(64 << 20) bytes")
            }
        }
    }

    @Test func cancellingAWholeRequestClosesItsConnection() async throws {
        let gate = FaultServer.Gate()
        try await withFaultServer({ _, _ in [.wait(gate)] + FaultServer.json(200, "{}") }) { server, client in
            let request = request
            let call = Task { try await client.responseBody(route: .chatCompletions, body: request) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            call.cancel()
            await #expect {
                try await call.value
            } throws: { error in
                guard case .cancelled = error as? ModelServerError else { return false }
                return true
            }
            while server.connectionClosed(afterRequest: 0) == nil { try await Task.sleep(for: .milliseconds(5)) }
            gate.open()
        }
    }
}
