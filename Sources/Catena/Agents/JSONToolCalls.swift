/// Tool calls for a model without native tool calling: each turn the model answers one JSON object held to a schema,
/// `{"tool": name, "with": {arguments}}` or `{"answer": text}`, read back as a tool call or the final answer. (The
/// keys sort in the order they are read, as Catena writes JSON with sorted keys: a grammar that follows the schema
/// asks for the tool's name before its arguments.)
///
/// The conversation the model sees is rewritten to match: instructions listing the tools first, its own tool calls
/// as the JSON it wrote, tool results as user messages. The agent's result keeps the usual shape (assistant tool
/// calls, tool messages), so everything downstream sees one form whichever way the model calls tools.
struct JSONToolCalls: Sendable {
    /// The system text describing the tools and the answer's shape.
    let instructions: String
    /// The schema of one turn's answer.
    let schema: JSONValue
    /// Whether the final answer is a value of a schema (a typed answer) rather than text.
    let answerIsValue: Bool

    /// The turns of a run among `tools`, whose final answer is text, or a value of `answerSchema` when one is given.
    init(tools: [any Tool], answerSchema: JSONValue? = nil) {
        var variants: [JSONValue] = tools.map { tool in
            [
                "type": "object", "properties": ["tool": ["const": .string(tool.name)], "with": tool.parameters],
                "required": ["tool", "with"], "additionalProperties": false,
            ]
        }
        variants.append([
            "type": "object", "properties": ["answer": answerSchema ?? ["type": "string"]], "required": ["answer"],
            "additionalProperties": false,
        ])
        schema = ["anyOf": .array(variants)]
        answerIsValue = answerSchema != nil
        let list = tools.map { "- \($0.name): \($0.description) Arguments: \($0.parameters.jsonString)" }
        instructions = """
            You can call one of these tools by answering with JSON {"tool": name, "with": {arguments}}, or give the \
            final answer as {"answer": text}.
            Tools:
            \(list.joined(separator: "\n"))
            """
    }

    /// The response format that holds each turn to ``schema``.
    var responseFormat: ResponseFormat { .jsonSchema(name: "agent_step", schema: schema, strict: false) }

    /// `conversation` as the model is shown it.
    func prepared(_ conversation: [Message]) -> [Message] {
        var shown: [Message] = []
        var toolNames: [String: String] = [:]
        for message in conversation {
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                for call in message.toolCalls {
                    toolNames[call.id ?? ""] = call.name
                    let arguments = (try? call.parsedArguments()) ?? .string(call.arguments)
                    let turn: JSONValue = ["tool": .string(call.name), "with": arguments]
                    shown.append(.assistant(turn.jsonString))
                }
            case .tool:
                let name = toolNames[message.toolCallID ?? ""] ?? "tool"
                shown.append(
                    .user("The tool \(name) answered: \(message.text). Answer the question, or call another tool."))
            default:
                shown.append(message)
            }
        }
        if shown.first?.role == .system {
            shown[0] = .system(shown[0].text + "\n\n" + instructions)
        } else {
            shown.insert(.system(instructions), at: 0)
        }
        return shown
    }

    /// The model's JSON turn read back: a tool call (with id `id`), or the answer's text; a turn that is neither
    /// (cut short by the token limit, say) is kept as it came, as a final answer.
    func interpreted(_ reply: Message, id: String) -> Message {
        guard case .object(let turn)? = try? JSONValue(parsing: reply.text) else { return reply }
        var read = reply
        if case .string(let tool)? = turn["tool"] {
            read.content = .text("")
            read.toolCalls = [ToolCall(id: id, name: tool, arguments: (turn["with"] ?? [:]).jsonString)]
        } else if let answer = turn["answer"] {
            read.content = .text(answer.stringValue ?? answer.jsonString)
        }
        return read
    }
}
