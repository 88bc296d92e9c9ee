import Catena
import CatenaCompletion
import CatenaOpenAI

extension ChatCall {
    /// Reads an OpenAI chat completions request body. Fields the gateway does not know are refused (OpenAI's API
    /// does the same), so a misspelt parameter is an error rather than silently dropped.
    /// - Throws: ``GatewayError`` (400) naming the field at fault.
    init(openAIBody body: [UInt8]) throws(GatewayError) {
        let fields = try RequestFields(body: body)
        try fields.refuseUnknown(Self.known)
        model = try fields.required("model", \.stringValue, "a string")
        let rawMessages = try fields.required("messages", \.arrayValue, "an array of messages")
        guard !rawMessages.isEmpty else {
            throw .invalidRequest("'messages' must hold at least one message", param: "messages")
        }
        messages = try rawMessages.enumerated().map { index, message throws(GatewayError) in
            try Message(request: message, param: "messages[\(index)]")
        }
        stream = try fields.optional("stream", \.boolValue, "true or false") ?? false
        streamsUsage = try fields.includesUsage()
        options = CompletionOptions(parameters: try fields.samplingParameters())
        options.tools =
            try fields.optional("tools", \.arrayValue, "an array of tools")?.enumerated().map {
                index, tool throws(GatewayError) in try ToolDefinition(request: tool, param: "tools[\(index)]")
            } ?? []
        options.toolChoice = try fields.value("tool_choice").map { value throws(GatewayError) in
            try ToolChoice(request: value)
        }
        options.responseFormat = try fields.value("response_format").flatMap { value throws(GatewayError) in
            try ResponseFormat(request: value)
        }
    }

    /// Every field an OpenAI request may have.
    static let known: Set<String> = Set(RequestFields.samplingFields.map(\.name)).union([
        "model", "messages", "stream", "stream_options", "tools", "tool_choice", "response_format", "user",
        "parallel_tool_calls", "max_completion_tokens", "stop",
    ])
}
