import Catena
import CatenaMCP
import Hummingbird
import Logging

/// `/mcp`: the tools of every server in `mcp_servers` as one MCP server, over streamable HTTP without sessions or
/// server-sent streams (each POST holds one JSON-RPC message and is answered with one JSON body, a notification
/// with 202). A tool is named after its server: `files-read` is the tool `read` of the server `files`.
extension Gateway {
    /// The protocol versions `/mcp` speaks, newest first.
    static let mcpProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// `POST /mcp`: one JSON-RPC message of `caller`.
    func mcp(_ request: Request, caller: Caller) async throws -> Response {
        var request = request
        let message: JSONRPCRequest
        do {
            message = try JSONRPCRequest(body: try await body(of: &request))
        } catch let error as JSONRPCError {
            return error.response(id: nil)
        }
        guard let id = message.id, !message.method.isEmpty else { return Response(status: .accepted) }
        do {
            let result = try await mcpResult(of: message, caller: caller)
            return JSONResponse(["jsonrpc": "2.0", "id": id, "result": result]).response
        } catch {
            return error.response(id: id)
        }
    }

    /// What the method of `message` answers.
    private func mcpResult(of message: JSONRPCRequest, caller: Caller) async throws(JSONRPCError) -> JSONValue {
        switch message.method {
        case "initialize":
            let asked = message.params["protocolVersion"]?.stringValue ?? ""
            return [
                "protocolVersion": .string(
                    Self.mcpProtocolVersions.contains(asked) ? asked : Self.mcpProtocolVersions[0]),
                "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": "catena-gateway", "version": "1.0"],
            ]
        case "ping":
            return [:]
        case "tools/list":
            return ["tools": .array(await mcpTools(for: caller))]
        case "tools/call":
            return try await callMCPTool(message.params, caller: caller)
        default:
            throw .methodNotFound(message.method)
        }
    }

    /// The tools `caller` may call, by name, from every server that answers (one that does not is logged and left
    /// out).
    private func mcpTools(for caller: Caller) async -> [JSONValue] {
        await withTaskGroup(of: [(String, JSONValue)].self) { group in
            for server in mcpServers.servers where Self.mayUse(server.name, caller: caller) {
                group.addTask {
                    do {
                        let tools = try await self.mcpServers.with(server) { try await $0.toolDefinitions() }
                        return tools.compactMap { tool in
                            guard let toolName = tool["name"]?.stringValue, var definition = tool.objectValue else {
                                return nil
                            }
                            let name = server.name + "-" + toolName
                            guard Self.may(caller, call: name, of: server.name) else { return nil }
                            definition["name"] = .string(name)
                            return (name, .object(definition))
                        }
                    } catch {
                        self.logger.warning("MCP server \(server.name) left out of tools/list: \(error)")
                        return []
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `tools/call`: the call relayed to the tool's server, its result passed back as the server gave it; counted,
    /// traced (an `execute_tool` span) and, for a virtual key, written to the spend log.
    private func callMCPTool(_ params: [String: JSONValue], caller: Caller) async throws(JSONRPCError) -> JSONValue {
        guard let name = params["name"]?.stringValue else { throw .invalidParams("'name' must be a tool's name") }
        let arguments = params["arguments"] ?? [:]
        guard arguments.objectValue != nil else { throw .invalidParams("'arguments' must be an object") }
        let unknown = JSONRPCError.invalidParams(
            "unknown tool: \(name) (tools are named server-tool; tools/list lists them)")
        guard let (server, tool) = mcpServers.resolve(name) else { throw unknown }
        var log = MCPCallLog(
            name: name, server: server.name, tool: tool, caller: caller, spend: spend, metrics: metrics)
        do {
            // Only a tool the server lists is called (and becomes a metrics label).
            let tools = try await mcpServers.with(server) { try await $0.toolDefinitions() }
            guard tools.contains(where: { $0["name"]?.stringValue == tool }) else { throw unknown }
        } catch let error as JSONRPCError {
            throw error
        } catch {
            log.unlisted()
            log.finish(.failure)
            throw .internalError("\(error)")
        }
        guard Self.may(caller, call: name, of: server.name) else {
            log.finish(.refused)
            throw .refused("this key may not call \(name)")
        }
        let admission: Admission?
        do {
            admission = try await admitMCPCall(of: caller)
        } catch {
            log.finish(.refused)
            throw .refused(error.message)
        }
        let run = try? RunContext.current.callbacks.startTool(name: name, input: arguments)
        do {
            let result = try await mcpServers.with(server) { try await $0.relay(tool, arguments: arguments) }
            await admission?.settle()
            try? run?.onEnd(MCPToolResult(json: result).text)
            log.finish(result["isError"]?.boolValue == true ? .toolError : .success)
            return result
        } catch {
            await admission?.settle()
            try? run?.onError(error)
            log.finish(.failure)
            throw .internalError("\(error)")
        }
    }

    /// Admits an MCP call of a virtual key against its requests per minute, its requests at once and its budget
    /// (a call costs nothing, but a key whose budget is spent may not call).
    private func admitMCPCall(of caller: Caller) async throws(GatewayError) -> Admission? {
        guard case .key(let key) = caller, spend != nil else { return nil }
        return try await limits.admit(key, estimate: CostEstimate(price: nil, bodyBytes: 0, maxTokens: nil))
    }

    /// Whether `caller` may use some tool of `server`.
    private static func mayUse(_ server: String, caller: Caller) -> Bool {
        guard case .key(let key) = caller else { return true }
        return key.allowsMCPServer(server)
    }

    /// Whether `caller` may call the tool `/mcp` names `name`, of `server`.
    private static func may(_ caller: Caller, call name: String, of server: String) -> Bool {
        guard case .key(let key) = caller else { return true }
        return key.allowsMCPTool(name, of: server)
    }
}
