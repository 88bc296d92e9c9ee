import Foundation
import Tracing

/// Whether model spans carry the messages (`gen_ai.input.messages`, `gen_ai.output.messages`,
/// `gen_ai.system_instructions`, as JSON strings in the GenAI conventions' shape). Off by default: prompts and
/// answers often hold personal data.
///
/// Turn it on for the process with the conventions' variable `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`,
/// or for one task:
///
/// ```swift
/// try await TelemetryContent.$captured.withValue(true) { try await chain.invoke(input) }
/// ```
public enum TelemetryContent {
    /// Whether message content is captured on spans started in this task (default: the environment variable).
    @TaskLocal public static var captured: Bool =
        ProcessInfo.processInfo.environment[
            "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"]?.lowercased() == "true"

    /// The input attributes of a model run's start: the system instructions apart, the other messages.
    static func input(_ messages: [Message]) -> SpanAttributes {
        var attributes = SpanAttributes()
        let system = messages.filter { $0.role == .system }
        if !system.isEmpty {
            attributes["gen_ai.system_instructions"] = JSONValue.array(system.map { part($0.text) }).jsonString
        }
        attributes["gen_ai.input.messages"] =
            JSONValue.array(messages.filter { $0.role != .system }.map { message($0) })
            .jsonString
        return attributes
    }

    /// The output attribute of a model run's end: each candidate with its finish reason.
    static func output(_ result: LLMResult) -> SpanAttributes {
        let candidates = result.generations.joined().map { generation in
            message(
                generation.message ?? .assistant(generation.text),
                finishReason: generation.message?.response.finishReason)
        }
        return ["gen_ai.output.messages": .string(JSONValue.array(candidates).jsonString)]
    }

    /// A message in the conventions' shape: its role and parts (text, tool calls, a tool call's response), and the
    /// finish reason of an output message.
    private static func message(_ message: Message, finishReason: String? = nil) -> JSONValue {
        var parts: [JSONValue] = message.text.isEmpty ? [] : [part(message.text)]
        for call in message.toolCalls {
            parts.append([
                "type": "tool_call", "id": call.id.map(JSONValue.string) ?? .null, "name": .string(call.name),
                "arguments": .string(call.arguments),
            ])
        }
        if let id = message.toolCallID {
            parts = [["type": "tool_call_response", "id": .string(id), "response": .string(message.text)]]
        }
        var members: [String: JSONValue] = ["role": .string(message.role.rawValue), "parts": .array(parts)]
        if let finishReason { members["finish_reason"] = .string(finishReason) }
        return .object(members)
    }

    /// A text part.
    private static func part(_ text: String) -> JSONValue {
        ["type": "text", "content": .string(text)]
    }
}
