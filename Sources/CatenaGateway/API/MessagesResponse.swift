import Catena
import CatenaOpenAI
import Foundation

/// Anthropic's Messages shapes for an answer: whole, or as the stream's events.
enum MessagesResponse {
    /// The message for a whole `response`.
    static func message(_ response: CompletionResponse, model: String) -> JSONValue {
        let choice = response.choices.first
        var content: [JSONValue] = []
        if let text = choice?.message?.content, !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
        for call in choice?.message?.toolCalls ?? [] {
            let input = (try? JSONValue(parsing: call.function?.arguments ?? "{}")) ?? [:]
            content.append([
                "type": "tool_use", "id": .string(call.id ?? ""), "name": .string(call.function?.name ?? ""), "input": input,
            ])
        }
        return [
            "id": .string(response.id ?? "msg"), "type": "message", "role": "assistant", "model": .string(model),
            "content": .array(content), "stop_reason": .string(stopReason(choice?.finishReason)), "stop_sequence": .null,
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

    /// The events of a streamed answer, from the OpenAI-shaped chunks: `message_start`, one text block
    /// (`content_block_start`, a `content_block_delta` per chunk, `content_block_stop`), `message_delta` with the
    /// stop reason and usage, `message_stop`.
    struct EventWriter {
        let model: String
        private var started = false
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
                events.append(("content_block_start", [
                    "type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""],
                ]))
            }
            if let text = chunk.choices.first?.delta?.content, !text.isEmpty {
                events.append(("content_block_delta", [
                    "type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": .string(text)],
                ]))
            }
            if let reason = chunk.choices.first?.finishReason { finishReason = reason }
            if let reported = chunk.usage { usage = reported }
            return events
        }

        /// The closing events.
        func end() -> [(String, JSONValue)] {
            [
                ("content_block_stop", ["type": "content_block_stop", "index": 0]),
                ("message_delta", [
                    "type": "message_delta",
                    "delta": ["stop_reason": .string(MessagesResponse.stopReason(finishReason)), "stop_sequence": .null],
                    "usage": ["output_tokens": .int(usage?.completionTokens ?? 0)],
                ]),
                ("message_stop", ["type": "message_stop"]),
            ]
        }
    }
}
