import Catena
import CatenaOpenAI
import Foundation

/// A streamed chat chunk as JSON text: written directly for the chunks nearly every stream is made of (text deltas:
/// id, object, created, model, choices with a role, content and finish reason), through `JSONValue` for any other.
/// Encoding was 28% of the streaming profile (`catena-bench gateway`, row "gateway streaming overhead per chunk");
/// both ways give the same JSON value.
enum ChunkJSON {
    /// The chunk's JSON.
    static func bytes(_ chunk: CompletionResponse) throws -> [UInt8] {
        if let bytes = direct(chunk) { return bytes }
        return try JSONValue(encoding: chunk).serializedBytes
    }

    /// The chunk's JSON when it is a text delta (`nil` for any other chunk).
    static func direct(_ chunk: CompletionResponse) -> [UInt8]? {
        guard chunk.usage == nil, chunk.systemFingerprint == nil,
            chunk.choices.allSatisfy({ choice in
                choice.message == nil && choice.text == nil && choice.logprobs == nil && choice.delta?.toolCalls == nil
                    && choice.delta?.reasoningContent == nil
            })
        else { return nil }
        var writer = Writer()
        writer.open()
        writer.member("id", chunk.id)
        writer.member("object", chunk.object)
        writer.member("created", chunk.created)
        writer.member("model", chunk.model)
        writer.key("choices")
        writer.bytes.append(UInt8(ascii: "["))
        for (position, choice) in chunk.choices.enumerated() {
            if position > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.open()
            writer.member("index", choice.index)
            if let delta = choice.delta {
                writer.key("delta")
                writer.open()
                writer.member("role", delta.role)
                writer.member("content", delta.content)
                writer.close()
            }
            writer.member("finish_reason", choice.finishReason)
            writer.close()
        }
        writer.bytes.append(UInt8(ascii: "]"))
        writer.close()
        return writer.bytes
    }

    /// Objects written member by member; absent members left out, as `JSONEncoder` leaves out `nil`s.
    private struct Writer {
        var bytes: [UInt8] = []
        private var first = true

        init() { bytes.reserveCapacity(256) }

        mutating func open() {
            bytes.append(UInt8(ascii: "{"))
            first = true
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
            first = false
        }

        mutating func key(_ name: String) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }

        mutating func member(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONValue.writeString(value, into: &bytes)
        }

        mutating func member(_ name: String, _ value: Int?) {
            guard let value else { return }
            key(name)
            bytes += String(value).utf8
        }
    }
}
