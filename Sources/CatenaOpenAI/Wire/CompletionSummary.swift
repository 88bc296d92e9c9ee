package import Catena

/// What accounting needs from a Chat Completions answer or one chunk of its stream, read without its messages: the
/// id, the model, each candidate's finish reason and the usage. A gateway that passes an answer's bytes on as they
/// came reads only this.
package struct CompletionSummary: Sendable, Decodable, JSONReadable {
    /// The response id.
    package var id: String?
    /// The model that answered.
    package var model: String?
    /// The server's configuration fingerprint.
    package var systemFingerprint: String?
    /// Each candidate's finish reason, in order (`nil` while a streamed candidate goes on).
    package var finishReasons: [String?] = []
    /// Token usage.
    package var usage: WireUsage?

    /// Reads the summary of an answer or chunk; `choices` is required, unknown members are ignored.
    package static func read(from parser: inout JSONParser) throws -> CompletionSummary? {
        var summary = CompletionSummary()
        var choices: [String?]?
        let present = try parser.readObject { parser, name in
            switch name {
            case "id": summary.id = try parser.readString()
            case "model": summary.model = try parser.readString()
            case "system_fingerprint": summary.systemFingerprint = try parser.readString()
            case "usage": summary.usage = try WireUsage.read(from: &parser)
            case "choices":
                var reasons: [String?] = []
                _ = try parser.readArray { parser, _ in
                    var reason: String?
                    _ = try parser.readObject { parser, name in
                        switch name {
                        case "finish_reason": reason = try parser.readString()
                        default: try parser.skipValue()
                        }
                    }
                    reasons.append(reason)
                }
                choices = reasons
            default: try parser.skipValue()
            }
        }
        guard present else { return nil }
        guard let choices else { throw DecodingError.missingMember("choices") }
        summary.finishReasons = choices
        return summary
    }

    /// Decodes a summary through its JSON text.
    package init(from decoder: any Decoder) throws {
        try self.init(readingJSON: JSONValue(from: decoder).serializedBytes)
    }

    private init() {}
}

extension ChatResult {
    /// The candidates of an answer known by its summary: no text, but the id, model, finish reasons and usage that
    /// the run's handlers (its span, its metrics, a spend recorder) account for.
    package init(_ summary: CompletionSummary) {
        let metadata = WireResponseFields(id: summary.id, model: summary.model, fingerprint: summary.systemFingerprint)
        let generations = summary.finishReasons.enumerated().map { position, finishReason in
            Generation(
                message: Message(
                    role: .assistant, content: .text(""), id: summary.id,
                    usage: position == 0 ? summary.usage?.usage : nil,
                    responseMetadata: metadata.fields(finishReason: finishReason, logprobs: nil)),
                info: metadata.generationInfo(finishReason: finishReason, logprobs: nil))
        }
        self.init(generations: generations, llmOutput: metadata.llmOutput(usage: summary.usage))
    }
}
