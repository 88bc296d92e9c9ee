package import Catena

/// The Responses API's stream events as message chunks: text deltas, function calls (numbered by output index) and
/// their argument deltas, and a last chunk from `response.completed` (or `response.incomplete`) with the id, model,
/// finish reason and usage. `error` and `response.failed` fail the stream; other events are skipped.
package struct ResponsesEventFormat: EventStreamFormat {
    package static var lastEvent: String { "response.completed" }

    /// Tool-call numbers by output index.
    private var toolCalls: [Int: Int] = [:]

    /// A reader at the start of a stream.
    package init() {}

    package mutating func read(_ event: ServerSentEvent) throws -> EventStreamStep<Message> {
        let json = try Self.json(of: event)
        switch Self.type(of: json, event: event) {
        case "response.output_text.delta":
            return .payload(.assistant(json["delta"]?.stringValue ?? ""))
        case "response.output_item.added":
            let item = json["item"] ?? [:]
            guard item["type"]?.stringValue == "function_call" else { return .skip }
            let number = toolCalls.count
            toolCalls[json["output_index"]?.intValue ?? number] = number
            return .payload(
                .assistant(
                    "",
                    toolCalls: [
                        ToolCall(index: number, id: item["call_id"]?.stringValue, name: item["name"]?.stringValue ?? "")
                    ]))
        case "response.function_call_arguments.delta":
            guard let index = json["output_index"]?.intValue, let number = toolCalls[index] else { return .skip }
            return .payload(
                .assistant("", toolCalls: [ToolCall(index: number, arguments: json["delta"]?.stringValue ?? "")]))
        case "response.completed", "response.incomplete":
            let response = json["response"] ?? [:]
            var chunk = Message.assistant("")
            chunk.id = response["id"]?.stringValue
            chunk.usage = try response["usage"].map(ResponsesOutput.usage(from:))
            chunk.responseMetadata = ResponsesOutput.metadata(of: response, calledTools: !toolCalls.isEmpty)
            return .last(chunk)
        case "response.failed":
            throw ModelServerError.streamError(
                message: json["response"]?["error"]?["message"]?.stringValue ?? "the response failed")
        case "error":
            throw ModelServerError.streamError(message: ServerErrorBody(json: json, fallback: event.data).message)
        default:
            return .skip
        }
    }
}
