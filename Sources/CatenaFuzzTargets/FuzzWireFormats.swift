import Catena
import CatenaAnthropic
import CatenaOpenAI

/// Reads arbitrary bytes as the streams of the Anthropic Messages and OpenAI Responses formats (each event through
/// both readers, the chunks merged as a model merges them) and as an embeddings answer: nothing may trap, and an
/// embeddings answer that reads has one vector per input.
enum FuzzWireFormats {
    static func run(_ bytes: [UInt8]) {
        var decoder = SSEDecoder()
        let events = decoder.feed(bytes) + (decoder.finish().map { [$0] } ?? [])
        var anthropic = AnthropicEventFormat()
        var responses = ResponsesEventFormat()
        var merged = [Message.assistant(""), Message.assistant("")]
        for event in events {
            merge(try? anthropic.read(event), into: &merged[0])
            merge(try? responses.read(event), into: &merged[1])
        }
        _ = merged.map { ($0.usage?.totalTokens, $0.toolCalls.map { try? $0.parsedArguments() }) }
        guard let json = try? JSONValue(parsing: bytes) else { return }
        let inputs = Int(bytes.first ?? 0) % 4 + 1
        if let answer = try? OpenAIEmbeddingProvider.response(from: json, inputs: inputs) {
            precondition(answer.vectors.count == inputs, "an embeddings answer read with a vector missing")
        }
    }

    /// Merges the chunk a step yields, as a model's stream merges its chunks.
    private static func merge(_ step: EventStreamStep<Message>?, into total: inout Message) {
        switch step {
        case .payload(let chunk)?, .last(let chunk)?: total.append(chunk)
        default: break
        }
    }
}
