import Catena
import Foundation
import InMemoryTracing
import Testing

/// The test command's Python, which has PyPI's `mcp`.
private let mcpTestPython = ProcessInfo.processInfo.environment["CATENA_PYTHON"]

/// `catena serve`'s `/mcp`: the tools of the Python test server (stdio) relayed with the server's prefix, each
/// call checked against the key's MCP servers and tools, logged in the spend log, counted in `/metrics`, traced.
@Suite(.timeLimit(.minutes(2)), .enabled(if: mcpTestPython != nil, "set CATENA_PYTHON (bash scripts/test.sh does)"))
struct MCPGatewayTests {
    static let python = mcpTestPython
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let toolsServer = folder.appendingPathComponent("../CatenaMCPTests/Servers/tools_server.py").standardized
        .path

    /// A gateway with no models, the master key `sk-master`, and the tools server as `tools`.
    static var configuration: String {
        """
        model_list: []
        general_settings:
          master_key: sk-master
          database_path: \(GatewayServerTests.temporaryDatabase())
        mcp_servers:
          tools: {command: "\(python ?? "python3")", args: ["\(toolsServer)"], timeout: 20}
        """
    }

    /// The JSON-RPC answer to `method` with `params`, sent with `key`.
    static func rpc(
        _ gateway: RunningGateway, _ method: String, _ params: JSONValue = [:], key: String = "sk-master"
    ) async throws -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": 7, "method": .string(method), "params": params]
        let reply = try await gateway.send("/mcp", body: request.jsonString, key: key)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["id"] == 7)
        return reply.json
    }

    /// A new virtual key with `settings` (JSON members of `/key/generate`).
    static func key(_ gateway: RunningGateway, _ settings: String) async throws -> String {
        try #require(try await gateway.send("/key/generate", body: "{\(settings)}").json["key"]?.stringValue)
    }

    @Test func toolsAreListedWithTheirServersNameAndCalled() async throws {
        try await RunningGateway.with(Self.configuration) { gateway in
            let initialized = try await Self.rpc(
                gateway, "initialize",
                ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]])
            #expect(initialized["result"]?["protocolVersion"] == "2025-06-18")
            #expect(initialized["result"]?["capabilities"]?["tools"] != nil)

            let tools = try #require(try await Self.rpc(gateway, "tools/list")["result"]?["tools"]?.arrayValue)
            let names = tools.compactMap { $0["name"]?.stringValue }
            #expect(
                names.contains("tools-echo") && names.contains("tools-forecast")
                    && names.allSatisfy { $0.hasPrefix("tools-") })
            let echo = try #require(tools.first { $0["name"] == "tools-echo" })
            #expect(echo["inputSchema"]?["properties"]?["text"] != nil)

            let answer = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-echo", "arguments": ["text": "hello"]])
            #expect(answer["result"]?["content"]?[0]?["text"] == "hello")
            let forecast = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-forecast", "arguments": ["city": "Oslo"]])
            #expect(forecast["result"]?["structuredContent"]?["celsius"] == 21.5)
            let failed = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-fail", "arguments": ["message": "no luck"]])
            #expect(failed["result"]?["isError"] == true)
            #expect(failed["result"]?["content"]?[0]?["text"]?.stringValue?.contains("no luck") == true)

            #expect(try await Self.rpc(gateway, "ping")["result"] == [:])
        }
    }

    @Test func badMessagesGetJSONRPCErrors() async throws {
        try await RunningGateway.with(Self.configuration) { gateway in
            let unknown = try await Self.rpc(gateway, "tools/call", ["name": "tools-nope", "arguments": [:]])
            #expect(unknown["error"]?["code"] == -32602)
            #expect(try await !gateway.send("/metrics").text.contains("nope"))
            let noServer = try await Self.rpc(gateway, "tools/call", ["name": "files-read"])
            #expect(noServer["error"]?["message"]?.stringValue?.contains("unknown tool: files-read") == true)
            let badArguments = try await Self.rpc(gateway, "tools/call", ["name": "tools-echo", "arguments": [1]])
            #expect(badArguments["error"]?["code"] == -32602)
            #expect(try await Self.rpc(gateway, "resources/list")["error"]?["code"] == -32601)

            let garbage = try await gateway.send("/mcp", body: "{not json")
            #expect(garbage.status == 400 && garbage.json["error"]?["code"] == -32700)
            let batch = try await gateway.send("/mcp", body: #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
            #expect(batch.status == 400 && batch.json["error"]?["code"] == -32600)
            let notification = try await gateway.send(
                "/mcp", body: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            #expect(notification.status == 202 && notification.body.isEmpty)
            #expect(try await gateway.send("/mcp").status == 405)
            #expect(try await gateway.send("/mcp", body: "{}", key: nil).status == 401)
        }
    }

    @Test func aKeyCallsOnlyItsToolsAndEachCallIsLoggedCountedAndTraced() async throws {
        let tracer = InMemoryTracer()
        try await RunningGateway.with(Self.configuration, tracer: tracer) { gateway in
            let key = try await Self.key(gateway, #""mcp_tools": ["tools-echo", "tools-fail"]"#)
            let info = try await gateway.send("/key/info?key=\(key)")
            #expect(info.json["info"]?["mcp_tools"] == ["tools-echo", "tools-fail"])

            let listed = try await Self.rpc(gateway, "tools/list", key: key)["result"]?["tools"]?.arrayValue
            #expect(listed?.compactMap { $0["name"]?.stringValue } == ["tools-echo", "tools-fail"])
            let echoed = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-echo", "arguments": ["text": "hi"]], key: key)
            #expect(echoed["result"]?["content"]?[0]?["text"] == "hi")
            _ = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-fail", "arguments": ["message": "x"]], key: key)
            let refused = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-add", "arguments": ["a": 1, "b": 2]], key: key)
            #expect(refused["error"]?["code"] == -32001)
            #expect(refused["error"]?["message"] == "this key may not call tools-add")

            let logs = try await gateway.send("/spend/logs?api_key=\(key)").json.arrayValue ?? []
            let calls = logs.map {
                "\($0["mcp_server"]?.stringValue ?? "")/\($0["mcp_tool"]?.stringValue ?? ""):\($0["status"]?.stringValue ?? "")"
            }
            #expect(calls.sorted() == ["tools/add:failure", "tools/echo:success", "tools/fail:failure"])
            #expect(logs.allSatisfy { $0["call_type"] == "call_mcp_tool" && $0["spend"] == 0 })

            let metrics = try await gateway.send("/metrics").text
            for outcome in [
                #"server="tools",tool="echo",outcome="success"} 1"#,
                #"server="tools",tool="fail",outcome="tool_error"} 1"#,
                #"server="tools",tool="add",outcome="refused"} 1"#,
            ] {
                #expect(metrics.contains("catena_gateway_mcp_calls_total{\(outcome)"), "\(outcome)")
            }
        }
        let spans = tracer.finishedSpans.map(\.operationName)
        #expect(spans.filter { $0 == "execute_tool tools-echo" }.count == 1)
        #expect(spans.contains("execute_tool tools-fail"))
    }

    @Test func aKeysLimitsHoldForItsToolCalls() async throws {
        try await RunningGateway.with(Self.configuration) { gateway in
            let key = try await Self.key(gateway, #""rpm_limit": 1"#)
            let echo: JSONValue = ["name": "tools-echo", "arguments": ["text": "once"]]
            #expect(
                try await Self.rpc(gateway, "tools/call", echo, key: key)["result"]?["content"]?[0]?["text"] == "once")
            let refused = try await Self.rpc(gateway, "tools/call", echo, key: key)
            #expect(refused["error"]?["code"] == -32001)
            #expect(refused["error"]?["message"]?.stringValue?.contains("rpm_limit") == true, "\(refused)")
        }
    }

    @Test func aServerThatCannotStartIsTriedAgainByTheNextCall() async throws {
        // The server's program does not exist yet: the first call fails, the next (once it does) is answered.
        let program = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-\(UUID().uuidString).sh")
        defer { try? FileManager.default.removeItem(at: program) }
        let configuration = Self.configuration.replacingOccurrences(
            of: "tools: {command:", with: "later: {command: \"\(program.path)\"}\n  tools: {command:")
        try await RunningGateway.with(configuration) { gateway in
            let tools = try await Self.rpc(gateway, "tools/list")["result"]?["tools"]?.arrayValue ?? []
            #expect(!tools.isEmpty && tools.allSatisfy { $0["name"]?.stringValue?.hasPrefix("tools-") == true })
            let echo: JSONValue = ["name": "later-echo", "arguments": ["text": "now"]]
            let failed = try await Self.rpc(gateway, "tools/call", echo)
            #expect(failed["error"]?["code"] == -32603)
            #expect(
                failed["error"]?["message"]?.stringValue?.contains("'later' cannot be reached") == true, "\(failed)")

            try "#!/bin/sh\nexec \"\(Self.python ?? "python3")\" \"\(Self.toolsServer)\"\n".write(
                to: program, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
            let answered = try await Self.rpc(gateway, "tools/call", echo)
            #expect(answered["result"]?["content"]?[0]?["text"] == "now")
        }
    }

    @Test func aServerThatExitsIsStartedAgainByTheNextCall() async throws {
        try await RunningGateway.with(Self.configuration) { gateway in
            let crashed = try await Self.rpc(gateway, "tools/call", ["name": "tools-crash", "arguments": [:]])
            #expect(crashed["error"]?["code"] == -32603)
            #expect(crashed["error"]?["message"]?.stringValue?.contains("tools") == true)
            let answer = try await Self.rpc(
                gateway, "tools/call", ["name": "tools-echo", "arguments": ["text": "back"]])
            #expect(answer["result"]?["content"]?[0]?["text"] == "back")
        }
    }

    @Test func theOfficialPythonClientListsCallsAndIsRefused() async throws {
        let python = try #require(Self.python)
        try await RunningGateway.with(Self.configuration) { gateway in
            let key = try await Self.key(gateway, #""mcp_tools": ["tools-echo"]"#)
            let printed = try await OpenAIClientTests.run(
                python,
                [
                    Self.folder.appendingPathComponent("Scripts/mcp_client.py").path, gateway.baseURL + "/mcp", key,
                    "tools-echo", "tools-add",
                ])
            let seen = try JSONValue(parsing: printed)
            #expect(seen["tools"] == ["tools-echo"])
            #expect(seen["text"] == "through the gateway")
            #expect(seen["is_error"] == false)
            #expect(seen["refusal"]?["code"] == -32001)
        }
    }
}
