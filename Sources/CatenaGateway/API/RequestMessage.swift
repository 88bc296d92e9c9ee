import Catena
import CatenaOpenAI

extension Message {
    /// A message of an OpenAI chat request: `role` (`developer` reads as `system`), `content` (a string, a list of
    /// parts or null), `name`, `tool_calls` in OpenAI's shape, `tool_call_id`.
    /// - Throws: ``GatewayError`` naming `param`'s field at fault.
    init(request value: JSONValue, param: String) throws(GatewayError) {
        guard let fields = value.objectValue else {
            throw .invalidRequest("'\(param)' must be an object", param: param)
        }
        guard let roleName = fields["role"]?.stringValue else {
            throw .invalidRequest(
                "'\(param).role' is required (system, developer, user, assistant or tool)", param: "\(param).role")
        }
        guard let role = roleName == "developer" ? .system : Role(rawValue: roleName) else {
            throw .invalidRequest(
                "'\(param).role' must be system, developer, user, assistant or tool (got '\(roleName)')",
                param: "\(param).role")
        }
        let content: MessageContent
        let hasToolCalls = !(fields["tool_calls"]?.arrayValue ?? []).isEmpty
        switch fields["content"] ?? .null {
        case .null where role == .assistant && hasToolCalls: content = .text("")
        case .null:
            throw .invalidRequest(
                "'\(param).content' is required for a \(roleName) message"
                    + (role == .assistant ? " without tool_calls" : ""), param: "\(param).content")
        case .string(let text): content = .text(text)
        case .array(let parts):
            content = .parts(
                try parts.enumerated().map { index, part throws(GatewayError) in
                    try ContentPart(request: part, param: "\(param).content[\(index)]")
                })
        default:
            throw .invalidRequest("'\(param).content' must be a string or an array of parts", param: "\(param).content")
        }
        let calls = try (fields["tool_calls"]?.arrayValue ?? []).enumerated().map { index, call throws(GatewayError) in
            try ToolCall(request: call, param: "\(param).tool_calls[\(index)]")
        }
        self.init(
            role: role, content: content, name: fields["name"]?.stringValue, toolCalls: calls,
            toolCallID: fields["tool_call_id"]?.stringValue)
    }
}

extension ContentPart {
    /// `{"type": "text", "text": …}` or `{"type": "image_url", "image_url": {"url": …, "detail": …}}`.
    init(request value: JSONValue, param: String) throws(GatewayError) {
        switch value["type"]?.stringValue {
        case "text":
            guard let text = value["text"]?.stringValue else {
                throw .invalidRequest("'\(param).text' must be a string", param: "\(param).text")
            }
            self = .text(text)
        case "image_url":
            guard let url = value["image_url"]?["url"]?.stringValue else {
                throw .invalidRequest("'\(param).image_url.url' must be a string", param: "\(param).image_url")
            }
            self = .imageURL(url, detail: value["image_url"]?["detail"]?.stringValue)
        default:
            throw .invalidRequest("'\(param).type' must be text or image_url", param: "\(param).type")
        }
    }
}

extension ToolCall {
    /// `{"id": …, "type": "function", "function": {"name": …, "arguments": "…"}}`.
    init(request value: JSONValue, param: String) throws(GatewayError) {
        guard let name = value["function"]?["name"]?.stringValue else {
            throw .invalidRequest("'\(param).function.name' must be a string", param: "\(param).function")
        }
        self.init(
            id: value["id"]?.stringValue, name: name, arguments: value["function"]?["arguments"]?.stringValue ?? "")
    }
}

extension ToolDefinition {
    /// `{"type": "function", "function": {"name": …, "description": …, "parameters": {…}}}`.
    init(request value: JSONValue, param: String) throws(GatewayError) {
        guard let function = value["function"], let name = function["name"]?.stringValue else {
            throw .invalidRequest("'\(param).function.name' must be a string", param: "\(param).function")
        }
        self.init(
            name: name, description: function["description"]?.stringValue ?? "",
            parameters: function["parameters"] ?? ["type": "object", "properties": [:]])
    }
}

extension ToolChoice {
    /// `"auto"`, `"required"`, `"none"` or `{"type": "function", "function": {"name": …}}`.
    init(request value: JSONValue) throws(GatewayError) {
        switch value {
        case "auto": self = .auto
        case "required": self = .required
        case "none": self = .none
        default:
            guard let name = value["function"]?["name"]?.stringValue else {
                throw .invalidRequest(
                    "'tool_choice' must be auto, required, none or {\"type\": \"function\", \"function\": {\"name\": …}}",
                    param: "tool_choice")
            }
            self = .function(name)
        }
    }
}

extension ResponseFormat {
    /// `{"type": "json_object"}` or `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`; `nil`
    /// for `{"type": "text"}`.
    init?(request value: JSONValue) throws(GatewayError) {
        switch value["type"]?.stringValue {
        case "text": return nil
        case "json_object": self = .jsonObject
        case "json_schema":
            guard let schema = value["json_schema"], let name = schema["name"]?.stringValue, let body = schema["schema"]
            else {
                throw .invalidRequest(
                    "'response_format.json_schema' needs a name and a schema", param: "response_format.json_schema")
            }
            self = .jsonSchema(name: name, schema: body, strict: schema["strict"]?.boolValue ?? false)
        default:
            throw .invalidRequest(
                "'response_format.type' must be text, json_object or json_schema", param: "response_format")
        }
    }
}
