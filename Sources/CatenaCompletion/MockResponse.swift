import CatenaOpenAI
import Foundation

/// The answers of a call with ``CompletionOptions/mockResponse``: nothing is sent; usage is reported as 10 prompt
/// and 20 completion tokens (as LiteLLM reports it), so cost and logging behave as for a real call.
enum MockResponse {
    static let usage = WireUsage(promptTokens: 10, completionTokens: 20)

    /// The whole response.
    static func response(_ text: String, model: String, id: String) -> CompletionResponse {
        CompletionResponse(
            id: "chatcmpl-mock-" + id, model: model, created: Int(Date().timeIntervalSince1970),
            choices: [.init(index: 0, message: WireMessage(role: "assistant", content: text), finishReason: "stop")],
            usage: usage, object: "chat.completion")
    }

    /// The stream: the text in pieces of three characters, then a chunk with the finish reason and usage.
    static func chunks(_ text: String, model: String, id: String) -> [CompletionResponse] {
        let id = "chatcmpl-mock-" + id
        let created = Int(Date().timeIntervalSince1970)
        var chunks: [CompletionResponse] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(3)
            rest = rest.dropFirst(3)
            chunks.append(CompletionResponse(
                id: id, model: model, created: created,
                choices: [.init(index: 0, delta: WireMessage(role: chunks.isEmpty ? "assistant" : nil, content: String(piece)))],
                object: "chat.completion.chunk"))
        }
        chunks.append(CompletionResponse(
            id: id, model: model, created: created, choices: [.init(index: 0, delta: WireMessage(), finishReason: "stop")],
            usage: usage, object: "chat.completion.chunk"))
        return chunks
    }

    /// The chunks a cached response replays as: its whole text in one chunk, then the finish reason and usage.
    static func replay(_ response: CompletionResponse) -> [CompletionResponse] {
        let choice = response.choices.first
        var message = choice?.message ?? WireMessage()
        message.role = "assistant"
        return [
            CompletionResponse(
                id: response.id, model: response.model, created: response.created,
                choices: [.init(index: 0, delta: message)], object: "chat.completion.chunk"),
            CompletionResponse(
                id: response.id, model: response.model, created: response.created,
                choices: [.init(index: 0, delta: WireMessage(), finishReason: choice?.finishReason ?? "stop")],
                usage: response.usage, object: "chat.completion.chunk"),
        ]
    }
}
