import CatenaOpenAI

/// Decodes arbitrary bytes as an event stream, whole and in pieces (sized by the first byte): the events must match.
enum FuzzSSE {
    static func run(_ bytes: [UInt8]) {
        var whole = SSEDecoder()
        let all = whole.feed(bytes) + (whole.finish().map { [$0] } ?? [])
        var split = SSEDecoder()
        let size = Int(bytes.first ?? 1) % 7 + 1
        var pieces: [ServerSentEvent] = []
        var start = 0
        while start < bytes.count {
            pieces += split.feed(bytes[start..<min(start + size, bytes.count)])
            start += size
        }
        if let last = split.finish() { pieces.append(last) }
        precondition(all == pieces, "split into pieces of \(size) bytes the stream decodes differently")
    }
}
