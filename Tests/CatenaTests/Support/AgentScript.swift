import Catena

/// What the agent suites script their models and tools with.
enum AgentScript {
    struct City: Decodable, Sendable { let city: String }

    /// A tool answering `Sunny in <city>`.
    static let weather = FunctionTool(
        name: "weather", description: "The weather in a city",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
    ) { (arguments: City) in "Sunny in \(arguments.city)" }

    /// A call of tool `name` with `arguments`.
    static func call(_ id: String, _ name: String = "weather", _ arguments: String = #"{"city":"Paris"}"#)
        -> ToolCall
    {
        ToolCall(id: id, name: name, arguments: arguments)
    }

    /// A call of tool `name` for `city`.
    static func call(_ id: String, _ name: String = "weather", city: String) -> ToolCall {
        call(id, name, #"{"city":"\#(city)"}"#)
    }

    /// A model turn asking for `calls`.
    static func asking(_ calls: ToolCall...) -> Message { .assistant("", toolCalls: calls) }
}
