import Catena
import CatenaMCP
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing

/// An MCP server over HTTP that stops answering: a call past its timeout fails naming the server and the tool, and
/// the notice that the client gave up (which that server never takes either) does not hold the caller.
@Suite(.timeLimit(.minutes(1)))
struct SilentHTTPServerTests {
    @Test func aCallToAServerThatStoppedAnsweringTimesOutAndReturns() async throws {
        let silence = FaultServer.Gate()
        let server = try await FaultServer.start { request, _ in
            if request.text.contains(#""initialize""#) {
                return FaultServer.json(
                    200,
                    #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"#
                        + #""serverInfo":{"name":"silent","version":"1"}}}"#)
            }
            if request.text.contains("notifications/initialized") { return [.head(202), .end] }
            return [.wait(silence)] + FaultServer.json(500, "{}")  // tools/call, and the notice of giving up
        }
        let clock = ManualClock()
        let connection = try await MCPConnection.connect(
            MCPServerConfiguration(
                name: "silent", transport: .http(URL(string: server.baseURL + "/mcp")!), timeout: .seconds(3)),
            clock: clock)
        let call = Task { try await connection.call("echo", arguments: ["text": "hi"]) }
        while clock.sleeping == 0 { try await Task.sleep(for: .milliseconds(5)) }
        clock.advance(by: .seconds(3))
        let error = await #expect(throws: MCPServerError.self) { try await call.value }
        #expect(error?.reason == .timedOut(.seconds(3)) && error?.server == "silent" && error?.tool == "echo")
        silence.open()
        await connection.close()
        try await server.shutdown()
    }
}
