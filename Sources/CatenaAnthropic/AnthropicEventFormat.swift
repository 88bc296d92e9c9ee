package import Catena
package import CatenaOpenAI

/// The Messages API's stream events as message chunks: `message_start` (id, model, input usage), text and
/// `input_json_delta` deltas of content blocks (tool calls numbered in the order their blocks start),
/// `message_delta` (stop reason, output usage), until `message_stop`. `ping` is skipped; `error` fails the stream.
package struct AnthropicEventFormat: EventStreamFormat {
    package static var lastEvent: String { "message_stop" }

    /// Tool-call numbers by content-block index.
    private var toolCalls: [Int: Int] = [:]
    /// The output tokens `message_start` reported, which `message_delta`'s running total includes.
    private var reportedOutput = 0

    /// A reader at the start of a stream.
    package init() {}

    package mutating func read(_ event: ServerSentEvent) throws -> EventStreamStep<Message> {
        let json = try Self.json(of: event)
        switch Self.type(of: json, event: event) {
        case "message_start":
            let message = json["message"] ?? [:]
            var chunk = Message.assistant("")
            chunk.id = message["id"]?.stringValue
            chunk.responseMetadata = AnthropicResponse.metadata(
                id: message["id"], model: message["model"], stopReason: nil)
            if let usage = message["usage"] {
                chunk.usage = try AnthropicResponse.usage(from: usage)
                reportedOutput = chunk.usage!.outputTokens
            }
            return .payload(chunk)
        case "content_block_start":
            let block = json["content_block"] ?? [:]
            guard block["type"]?.stringValue == "tool_use", let index = json["index"]?.intValue else { return .skip }
            let number = toolCalls.count
            toolCalls[index] = number
            return .payload(
                .assistant(
                    "",
                    toolCalls: [
                        ToolCall(index: number, id: block["id"]?.stringValue, name: block["name"]?.stringValue ?? "")
                    ]))
        case "content_block_delta":
            let delta = json["delta"] ?? [:]
            switch delta["type"]?.stringValue {
            case "text_delta": return .payload(.assistant(delta["text"]?.stringValue ?? ""))
            case "input_json_delta":
                guard let index = json["index"]?.intValue, let number = toolCalls[index] else { return .skip }
                return .payload(
                    .assistant(
                        "",
                        toolCalls: [
                            ToolCall(index: number, arguments: delta["partial_json"]?.stringValue ?? "")
                        ]))
            default: return .skip
            }
        case "message_delta":
            var chunk = Message.assistant("")
            chunk.responseMetadata = AnthropicResponse.metadata(
                id: nil, model: nil, stopReason: json["delta"]?["stop_reason"])
            if let usage = json["usage"] {
                let output = try usage.tokenCount("output_tokens")
                chunk.usage = Usage(inputTokens: 0, outputTokens: max(0, output.subtractingSaturating(reportedOutput)))
                reportedOutput = max(reportedOutput, output)
            }
            return .payload(chunk)
        case "message_stop":
            return .end
        case "error":
            throw ModelServerError.streamError(message: ServerErrorBody(json: json, fallback: event.data).message)
        default:
            return .skip  // ping, content_block_stop, and events added to the API later
        }
    }
}
