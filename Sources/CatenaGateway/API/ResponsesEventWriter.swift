import Catena
import CatenaOpenAI
import Foundation

extension ResponsesResponse {
    /// The events of a streamed answer, from the OpenAI-shaped chunks: `response.created` and
    /// `response.in_progress`; for the text, a message item (`response.output_item.added`,
    /// `response.content_part.added`, `response.output_text.delta`s, then the `…done` events); for each tool call,
    /// a function call item (`response.function_call_arguments.delta`s between its `added` and `done`); then
    /// `response.completed` (or `response.incomplete`) with the whole response and the usage. Every event carries
    /// its `sequence_number`.
    struct EventWriter {
        let model: String
        private var sequence = 0
        private var id = "resp"
        private var created = 0
        private var started = false
        /// The items so far, in output order; the last may be open.
        private var items: [Item] = []
        private var open = false
        private var finishReason: String?
        private var usage: WireUsage?

        /// An output item as it grows.
        private enum Item {
            case message(id: String, text: String)
            case call(index: Int, callID: String, name: String, arguments: String)

            var itemID: String {
                switch self {
                case .message(let id, _): id
                case .call(_, let callID, _, _): "fc_\(callID)"
                }
            }

            func json(done: Bool) -> JSONValue {
                switch self {
                case .message(let id, let text): ResponsesResponse.messageItem(id: id, text: text, done: done)
                case .call(_, let callID, let name, let arguments):
                    ResponsesResponse.callItem(callID: callID, name: name, arguments: arguments, done: done)
                }
            }
        }

        init(model: String) { self.model = model }

        /// The events `chunk` stands for.
        mutating func events(for chunk: CompletionResponse) -> [(String, JSONValue)] {
            var events: [(String, JSONValue)] = []
            if !started {
                started = true
                id = chunk.id ?? "resp"
                created = chunk.created ?? Int(Date().timeIntervalSince1970)
                let response = object(status: "in_progress", output: [])
                events.append(event("response.created", ["response": response]))
                events.append(event("response.in_progress", ["response": response]))
            }
            let change = chunk.choices.first?.delta
            if let text = change?.content, !text.isEmpty {
                if case .message = items.last, open {
                } else {
                    events += close()
                    items.append(.message(id: "msg_\(id)_\(items.count)", text: ""))
                    events += opened()
                }
                if case .message(let itemID, let sofar) = items[items.count - 1] {
                    items[items.count - 1] = .message(id: itemID, text: sofar + text)
                    events.append(
                        event(
                            "response.output_text.delta",
                            [
                                "item_id": .string(itemID), "output_index": .int(items.count - 1), "content_index": 0,
                                "delta": .string(text),
                            ]))
                }
            }
            for call in change?.toolCalls ?? [] {
                let index = call.index ?? 0
                if case .call(let current, _, _, _) = items.last, open, current == index {
                } else {
                    events += close()
                    items.append(
                        .call(
                            index: index, callID: call.id ?? "call_\(items.count)", name: call.function?.name ?? "",
                            arguments: ""))
                    events += opened()
                }
                if let arguments = call.function?.arguments, !arguments.isEmpty,
                    case .call(let index, let callID, let name, let sofar) = items[items.count - 1]
                {
                    items[items.count - 1] = .call(
                        index: index, callID: callID, name: name, arguments: sofar + arguments)
                    events.append(
                        event(
                            "response.function_call_arguments.delta",
                            [
                                "item_id": .string("fc_\(callID)"), "output_index": .int(items.count - 1),
                                "delta": .string(arguments),
                            ]))
                }
            }
            if let reason = chunk.choices.first?.finishReason { finishReason = reason }
            if let reported = chunk.usage { usage = reported }
            return events
        }

        /// The closing events: the open item's, then `response.completed` (`response.incomplete` when the output
        /// token limit was reached).
        mutating func end() -> [(String, JSONValue)] {
            var events = close()
            let status = ResponsesResponse.status(finishReason)
            let response = object(status: status, output: items.map { $0.json(done: true) })
            events.append(
                event(status == "incomplete" ? "response.incomplete" : "response.completed", ["response": response]))
            return events
        }

        /// An `error` event for a failure after the stream started.
        mutating func failure(_ error: GatewayError) -> (String, JSONValue) {
            event(
                "error",
                ["code": error.code.map(JSONValue.string) ?? .null, "message": .string(error.message), "param": .null])
        }

        private func object(status: String, output: [JSONValue]) -> JSONValue {
            ResponsesResponse.object(
                id: id, created: created, model: model, status: status, output: output, usage: usage)
        }

        /// The events that open the last item.
        private mutating func opened() -> [(String, JSONValue)] {
            open = true
            let item = items[items.count - 1], index = items.count - 1
            var events = [
                event("response.output_item.added", ["output_index": .int(index), "item": item.json(done: false)])
            ]
            if case .message = item {
                events.append(
                    event(
                        "response.content_part.added",
                        [
                            "item_id": .string(item.itemID), "output_index": .int(index), "content_index": 0,
                            "part": ResponsesResponse.textPart(""),
                        ]))
            }
            return events
        }

        /// The events that close the open item, if any.
        private mutating func close() -> [(String, JSONValue)] {
            guard open, let item = items.last else { return [] }
            open = false
            let index = items.count - 1
            var events: [(String, JSONValue)] = []
            switch item {
            case .message(let itemID, let text):
                let place: [String: JSONValue] = [
                    "item_id": .string(itemID), "output_index": .int(index), "content_index": 0,
                ]
                events.append(
                    event("response.output_text.done", .object(place.merging(["text": .string(text)]) { $1 })))
                events.append(
                    event(
                        "response.content_part.done",
                        .object(place.merging(["part": ResponsesResponse.textPart(text)]) { $1 })))
            case .call(_, let callID, _, let arguments):
                events.append(
                    event(
                        "response.function_call_arguments.done",
                        [
                            "item_id": .string("fc_\(callID)"), "output_index": .int(index),
                            "arguments": .string(arguments),
                        ]))
            }
            events.append(
                event("response.output_item.done", ["output_index": .int(index), "item": item.json(done: true)]))
            return events
        }

        /// An event named `type`, with its type and sequence number among `fields`.
        private mutating func event(_ type: String, _ fields: JSONValue) -> (String, JSONValue) {
            var members = fields.objectValue ?? [:]
            members["type"] = .string(type)
            members["sequence_number"] = .int(sequence)
            sequence += 1
            return (type, .object(members))
        }
    }
}
