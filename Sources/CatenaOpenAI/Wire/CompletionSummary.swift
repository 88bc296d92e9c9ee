package import Catena

/// What accounting needs from a Chat Completions answer or one chunk of its stream, read without its messages: the
/// id, the model, each candidate's finish reason, the usage, and a chunk's new text. A gateway that passes an
/// answer's bytes on as they came reads only this.
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
    /// A stream chunk's new text (its first candidate's delta), or a stream's text so far; empty for a whole answer,
    /// whose text is not read.
    package var text = ""

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
                _ = try parser.readArray { parser, position in
                    var reason: String?
                    _ = try parser.readObject { parser, name in
                        switch name {
                        case "finish_reason": reason = try parser.readString()
                        case "delta" where position == 0:
                            _ = try parser.readObject { parser, name in
                                switch name {
                                case "content": summary.text = try parser.readString() ?? ""
                                default: try parser.skipValue()
                                }
                            }
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

    /// The summary of a stream so far, with `chunk` added: the first id, model and fingerprint, each candidate's
    /// finish reason once given, the last usage reported (a server reports it once, or as running totals) and the
    /// text so far.
    package mutating func add(_ chunk: CompletionSummary) {
        id = id ?? chunk.id
        model = model ?? chunk.model
        systemFingerprint = systemFingerprint ?? chunk.systemFingerprint
        for (position, reason) in chunk.finishReasons.enumerated() {
            if position == finishReasons.count { finishReasons.append(nil) }
            if let reason { finishReasons[position] = reason }
        }
        usage = chunk.usage ?? usage
        text += chunk.text
    }

    /// Whether this chunk only reports the usage (no candidate): the last chunk of a stream that asked for it.
    package var reportsUsageOnly: Bool { finishReasons.isEmpty && usage != nil }

    /// Decodes a summary through its JSON text.
    package init(from decoder: any Decoder) throws {
        try self.init(readingJSON: JSONValue(from: decoder).serializedBytes)
    }

    /// An empty summary, for a stream before its first chunk.
    package init() {}
}

extension ChatResult {
    /// The candidates of an answer known by its summary: the id, model, finish reasons and usage that the run's
    /// handlers (its span, its metrics, a spend recorder) account for, and a stream's text (none for a whole answer).
    package init(_ summary: CompletionSummary) {
        let metadata = WireResponseFields(id: summary.id, model: summary.model, fingerprint: summary.systemFingerprint)
        let generations = summary.finishReasons.enumerated().map { position, finishReason in
            Generation(
                message: Message(
                    role: .assistant, content: .text(position == 0 ? summary.text : ""), id: summary.id,
                    usage: position == 0 ? summary.usage?.usage : nil,
                    responseMetadata: metadata.fields(finishReason: finishReason, logprobs: nil)),
                info: metadata.generationInfo(finishReason: finishReason, logprobs: nil))
        }
        self.init(generations: generations, llmOutput: metadata.llmOutput(usage: summary.usage))
    }
}
