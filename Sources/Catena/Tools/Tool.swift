/// A function a model can call: a name, a description, a JSON schema for its arguments, and the call itself.
///
/// Invoking a tool is traced as a tool run (tool start, end and error hooks).
///
/// ```swift
/// let weather = FunctionTool(name: "weather", description: "Current weather in a city",
///                            parameters: ["type": "object", "properties": ["city": ["type": "string"]]]) {
///     (args: WeatherArguments) in "Sunny in \(args.city)"
/// }
/// ```
public protocol Tool: Runnable where Input == JSONValue, Output == String {
    /// What the tool does, for the model.
    var description: String { get }
    /// The JSON schema of the arguments.
    var parameters: JSONValue { get }

    /// Runs the tool with `arguments`.
    func call(_ arguments: JSONValue) async throws -> String
}

extension Tool {
    /// The tool as models see it: name, description and parameter schema.
    public var definition: ToolDefinition {
        ToolDefinition(name: name, description: description, parameters: parameters)
    }

    /// Runs the tool as a traced tool run.
    public func invoke(_ input: JSONValue, context: RunContext) async throws -> String {
        let manager = try context.callbacks.startTool(
            name: context.runName(default: name), input: input, runID: context.runID)
        return try await context.trace(manager) { try await call(input) }
    }

    /// Runs the tool for a model's tool call and returns the tool message answering it.
    public func respond(to toolCall: ToolCall, config: RunnableConfig = RunnableConfig()) async throws -> Message {
        let output = try await invoke(try toolCall.parsedArguments(), config: config)
        return .tool(output, callID: toolCall.id ?? "")
    }
}

/// A tool's description as sent to a model.
public struct ToolDefinition: Sendable, Hashable, Codable {
    /// The tool's name.
    public var name: String
    /// What it does.
    public var description: String
    /// The JSON schema of its arguments.
    public var parameters: JSONValue

    /// Creates a definition.
    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
