public import Catena

/// A tool of an MCP server as a Catena `Tool` (a `ContentTool`, whose images reach the model): its name, description and JSON schema as the server gives them,
/// and its calls made through the server's ``MCPConnection``. An agent, `bindingTools` and a plain `invoke` use it
/// as any tool; each call is a tool run in the run tree (an `execute_tool` span), and the server's progress
/// notifications are custom events of that run, named `mcp_progress` (``MCPProgress/eventData``).
public struct MCPTool: ContentTool {
    /// The name of the custom events that report a call's progress.
    public static let progressEvent = "mcp_progress"

    /// The tool's name on its server.
    public let name: String
    /// What the tool does, as the server describes it.
    public let description: String
    /// The JSON schema of its arguments, as the server gives it.
    public let parameters: JSONValue
    /// The connection its calls go through.
    public let connection: MCPConnection

    /// The tool a server describes as `json` (`nil` without a name).
    init?(_ json: JSONValue, of connection: MCPConnection) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.name = name
        description = json["description"]?.stringValue ?? json["title"]?.stringValue ?? name
        parameters = json["inputSchema"] ?? ["type": "object"]
        self.connection = connection
    }

    /// Calls the tool on its server and returns its answer's text (``MCPToolResult/text``).
    /// - Throws: ``MCPServerError`` naming the server and the tool: the tool's own error (`toolError`), a timeout,
    ///   a server that went away.
    public func call(_ arguments: JSONValue) async throws -> String {
        try await result(arguments).text
    }

    /// Calls the tool on its server and returns its answer as a tool message's content: the text, or (when the tool
    /// answered with images) its parts, so that an agent shows the model the images.
    /// - Throws: As ``call(_:)``.
    public func answer(_ arguments: JSONValue) async throws -> MessageContent {
        let result = try await result(arguments)
        return MessageContent.parts(result.content).hasImages ? .parts(result.content) : .text(result.text)
    }

    /// The call's result, its progress reported as custom events of the current run.
    private func result(_ arguments: JSONValue) async throws -> MCPToolResult {
        let callbacks = RunContext.current.callbacks
        let result = try await connection.call(name, arguments: arguments) { progress in
            try? callbacks.dispatchCustomEvent(Self.progressEvent, data: progress.eventData)
        }
        guard !result.isError else {
            throw MCPServerError(server: connection.configuration.name, tool: name, reason: .toolError(result.text))
        }
        return result
    }
}
