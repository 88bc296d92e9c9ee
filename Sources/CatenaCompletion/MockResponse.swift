import Catena
import CatenaOpenAI
import Foundation

/// A canned outcome for a call that sends nothing (LiteLLM's `mock_response`), for tests and benchmarks: an answer,
/// an error raised before the call, or a stream that fails part-way. All hooks, cost and caching apply as for a
/// real call. As in LiteLLM, a whole answer's usage is 10 prompt and 20 completion tokens, and a streamed answer's
/// is counted from the prompt and the text (estimated: `"Hi"` takes 8 prompt tokens, `"Hello world"` 2).
///
/// ```swift
/// _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "Hello"))
/// _ = try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: .failure(MyError())))
/// for try await chunk in llm.streamingCompletion(model: "gpt-4o", messages: hi,
///     options: .init(mockResponse: .streamFailing("Hello world", afterChunks: 2, with: MyError()))) { … }
/// ```
public struct MockResponse: Sendable, ExpressibleByStringLiteral {
    private enum Outcome: Sendable {
        case answer(String)
        case failure(any Error)
        case streamFailing(String, afterChunks: Int, error: any Error)
    }

    private let outcome: Outcome

    private init(_ outcome: Outcome) { self.outcome = outcome }

    /// Answers with `text`.
    public static func answer(_ text: String) -> MockResponse { MockResponse(.answer(text)) }

    /// Fails the call with `error` before anything is answered.
    public static func failure(_ error: any Error) -> MockResponse { MockResponse(.failure(error)) }

    /// Streams `text` in chunks of three characters and fails with `error` after `afterChunks` of them; a call that
    /// does not stream fails with `error`.
    public static func streamFailing(_ text: String, afterChunks: Int, with error: any Error) -> MockResponse {
        MockResponse(.streamFailing(text, afterChunks: afterChunks, error: error))
    }

    /// Answers with the literal's text.
    public init(stringLiteral text: String) { self.init(.answer(text)) }

    /// The whole response, or the mock's error.
    func response(model: String, id: String) throws -> CompletionResponse {
        switch outcome {
        case .answer(let text):
            return CompletionResponse(
                id: "chatcmpl-mock-" + id, model: model, created: Int(Date().timeIntervalSince1970),
                choices: [
                    .init(index: 0, message: WireMessage(role: "assistant", content: text), finishReason: "stop")
                ],
                usage: Self.usage, object: "chat.completion")
        case .failure(let error), .streamFailing(_, _, let error):
            throw error
        }
    }

    /// The stream answering `prompt`: the answer in pieces of three characters, then a chunk with the finish reason
    /// and the usage counted from `prompt` and the answer; or the pieces before the mock's error, then the error.
    func stream(model: String, id: String, prompt: [Message]) -> RunnableStream<Message> {
        switch outcome {
        case .answer(let text):
            return .of(Self.chunks(text, model: model, id: id, prompt: prompt))
        case .failure(let error):
            return .single { throw error }
        case .streamFailing(let text, let count, let error):
            let chunks = Self.chunks(text, model: model, id: id, prompt: prompt).dropLast().prefix(Swift.max(0, count))
            return RunnableStream(makeNext: {
                var rest = chunks[...]
                return {
                    guard let next = rest.popFirst() else { throw error }
                    return next
                }
            })
        }
    }

    /// The usage a whole mock answer reports.
    static let usage = WireUsage(promptTokens: 10, completionTokens: 20)

    /// `text` in pieces of three characters, then a chunk with the finish reason and the usage of `prompt` and `text`.
    private static func chunks(_ text: String, model: String, id: String, prompt: [Message]) -> [Message] {
        let id = "chatcmpl-mock-" + id
        var chunks: [Message] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            chunks.append(
                Message(
                    role: .assistant, content: .text(String(rest.prefix(3))), id: id,
                    responseMetadata: ["model_name": .string(model)]))
            rest = rest.dropFirst(3)
        }
        chunks.append(
            Message(
                role: .assistant, content: .text(""), id: id,
                usage: Usage(inputTokens: TokenEstimate.prompt(prompt), outputTokens: TokenEstimate.count(text)),
                responseMetadata: ["model_name": .string(model), "finish_reason": "stop"]))
        return chunks
    }
}
