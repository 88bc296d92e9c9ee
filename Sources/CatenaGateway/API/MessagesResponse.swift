import Catena
import CatenaOpenAI
import Foundation

/// Anthropic's Messages shapes for an answer: whole, or as the stream's events.
enum MessagesResponse {
    /// The message for a whole `response`.
    static func message(_ response: CompletionResponse, model: String) -> JSONValue {
        let choice = response.choices.first
        var content: [JSONValue] = []
        if let text = choice?.message?.content, !text.isEmpty {
            content.append(["type": "text", "text": .string(text)])
        }
        for call in choice?.message?.toolCalls ?? [] {
            let input = (try? JSONValue(parsing: call.function?.arguments ?? "{}")) ?? [:]
            content.append([
                "type": "tool_use", "id": .string(call.id ?? ""), "name": .string(call.function?.name ?? ""),
                "input": input,
            ])
        }
        return [
            "id": .string(response.id ?? "msg"), "type": "message", "role": "assistant", "model": .string(model),
            "content": .array(content), "stop_reason": .string(stopReason(choice?.finishReason)),
            "stop_sequence": .null,
            "usage": usage(response.usage),
        ]
    }

    /// Anthropic's stop reason for an OpenAI finish reason.
    static func stopReason(_ finishReason: String?) -> String {
        switch finishReason {
        case "length": "max_tokens"
        case "tool_calls", "function_call": "tool_use"
        case "content_filter": "refusal"
        default: "end_turn"
        }
    }

    static func usage(_ usage: WireUsage?) -> JSONValue {
        ["input_tokens": .int(usage?.promptTokens ?? 0), "output_tokens": .int(usage?.completionTokens ?? 0)]
    }

    /// The events of a streamed answer, from the OpenAI-shaped chunks: `message_start`; then content blocks, each
    /// opened (`content_block_start`), grown (`content_block_delta`: `text_delta` for text, `input_json_delta` for a
    /// tool call's arguments) and closed (`content_block_stop`), a new block whenever the chunks turn from text to a
    /// tool call or to the next tool call; `message_delta` with the stop reason and usage; `message_stop`.
    struct EventWriter {
        let model: String
        private var started = false
        /// The open block: its index, and the OpenAI index of its tool call (`nil`: a text block).
        private var block: (index: Int, tool: Int?)?
        private var blocks = 0
        private var finishReason: String?
        private var usage: WireUsage?

        init(model: String) { self.model = model }

        /// The events `chunk` stands for.
        mutating func events(for chunk: CompletionResponse) -> [(String, JSONValue)] {
            var events: [(String, JSONValue)] = []
            if !started {
                started = true
                let message: JSONValue = [
                    "id": .string(chunk.id ?? "msg"), "type": "message", "role": "assistant", "model": .string(model),
                    "content": [], "stop_reason": .null, "stop_sequence": .null, "usage": MessagesResponse.usage(nil),
                ]
                events.append(("message_start", ["type": "message_start", "message": message]))
            }
            let change = chunk.choices.first?.delta
            if let text = change?.content, !text.isEmpty {
                if block == nil || block?.tool != nil { events += open(["type": "text", "text": ""], tool: nil) }
                events.append(delta(["type": "text_delta", "text": .string(text)]))
            }
            for call in change?.toolCalls ?? [] {
                let tool = call.index ?? 0
                if block?.tool != tool {
                    events += open(
                        [
                            "type": "tool_use", "id": .string(call.id ?? "toolu_\(blocks)"),
                            "name": .string(call.function?.name ?? ""), "input": [:],
                        ], tool: tool)
                }
                if let arguments = call.function?.arguments, !arguments.isEmpty {
                    events.append(delta(["type": "input_json_delta", "partial_json": .string(arguments)]))
                }
            }
            if let reason = chunk.choices.first?.finishReason { finishReason = reason }
            if let reported = chunk.usage { usage = reported }
            return events
        }

        /// The closing events (an empty text block when no block was opened: a message has content).
        mutating func end() -> [(String, JSONValue)] {
            var events = block == nil && blocks == 0 ? open(["type": "text", "text": ""], tool: nil) : []
            events += close()
            return events + [
                (
                    "message_delta",
                    [
                        "type": "message_delta",
                        "delta": [
                            "stop_reason": .string(MessagesResponse.stopReason(finishReason)), "stop_sequence": .null,
                        ],
                        "usage": MessagesResponse.usage(usage),
                    ]
                ),
                ("message_stop", ["type": "message_stop"]),
            ]
        }

        /// Closes the open block, if any, and opens `content` as the next.
        private mutating func open(_ content: JSONValue, tool: Int?) -> [(String, JSONValue)] {
            let closing = close()
            block = (blocks, tool)
            blocks += 1
            return closing + [
                (
                    "content_block_start",
                    ["type": "content_block_start", "index": .int(blocks - 1), "content_block": content]
                )
            ]
        }

        private mutating func close() -> [(String, JSONValue)] {
            guard let open = block else { return [] }
            block = nil
            return [("content_block_stop", ["type": "content_block_stop", "index": .int(open.index)])]
        }

        /// A `content_block_delta` of the open block.
        private func delta(_ delta: JSONValue) -> (String, JSONValue) {
            ("content_block_delta", ["type": "content_block_delta", "index": .int(block?.index ?? 0), "delta": delta])
        }
    }
}
