import Catena
public import CatenaOpenAI

/// Builds the whole response of a stream from its chunks: text and reasoning concatenated per candidate, tool-call
/// fragments merged by index (id and name kept from the first fragment, arguments concatenated), the last finish
/// reason, and the usage of the final chunk.
public struct StreamAssembler: Sendable {
    private var response = CompletionResponse(choices: [], object: "chat.completion")
    private var choices: [Int: CompletionResponse.Choice] = [:]
    private var toolCalls: [Int: [Int: WireToolCall]] = [:]

    /// An empty assembler.
    public init() {}

    /// Adds the next chunk.
    public mutating func add(_ chunk: CompletionResponse) {
        response.id = response.id ?? chunk.id
        response.model = response.model ?? chunk.model
        response.created = response.created ?? chunk.created
        response.systemFingerprint = chunk.systemFingerprint ?? response.systemFingerprint
        if let usage = chunk.usage { response.usage = usage }
        for piece in chunk.choices {
            let index = piece.index ?? 0
            var choice = choices[index] ?? CompletionResponse.Choice(index: index)
            var message = choice.message ?? WireMessage(role: "assistant")
            let delta = piece.delta ?? piece.message
            if let role = delta?.role { message.role = role }
            if let content = delta?.content ?? piece.text { message.content = (message.content ?? "") + content }
            if let reasoning = delta?.reasoningContent {
                message.reasoningContent = (message.reasoningContent ?? "") + reasoning
            }
            choice.message = message
            for fragment in delta?.toolCalls ?? [] { merge(fragment, into: index) }
            if let finishReason = piece.finishReason { choice.finishReason = finishReason }
            if let logprobs = piece.logprobs, logprobs != .null { choice.logprobs = logprobs }
            choices[index] = choice
        }
    }

    private mutating func merge(_ fragment: WireToolCall, into choice: Int) {
        let position = fragment.index ?? (toolCalls[choice]?.count ?? 0)
        var call = toolCalls[choice, default: [:]][position] ?? WireToolCall(type: "function")
        var function = call.function ?? WireToolCall.Function()
        call.id = call.id ?? fragment.id
        function.name = function.name ?? fragment.function?.name
        function.arguments = (function.arguments ?? "") + (fragment.function?.arguments ?? "")
        call.function = function
        toolCalls[choice, default: [:]][position] = call
    }

    /// The response assembled so far.
    public var assembled: CompletionResponse {
        var result = response
        result.choices = choices.keys.sorted().map { index in
            var choice = choices[index]!
            if let calls = toolCalls[index] { choice.message?.toolCalls = calls.keys.sorted().map { calls[$0]! } }
            return choice
        }
        return result
    }
}
