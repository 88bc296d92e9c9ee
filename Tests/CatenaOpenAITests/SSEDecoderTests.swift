import CatenaOpenAI
import Testing

@Suite struct SSEDecoderTests {
    /// Decodes `text` fed in pieces of `size` bytes.
    func decode(_ text: String, pieces size: Int) -> [ServerSentEvent] {
        var decoder = SSEDecoder()
        let bytes = Array(text.utf8)
        var events: [ServerSentEvent] = []
        var start = 0
        while start < bytes.count {
            events += decoder.feed(bytes[start..<min(start + size, bytes.count)])
            start += size
        }
        if let last = decoder.finish() { events.append(last) }
        return events
    }

    @Test(arguments: [1, 2, 3, 7, 1000]) func anySplitGivesTheSameEvents(size: Int) {
        let text =
            "data: {\"a\":1}\n\n: keep-alive comment\n\nevent: update\r\ndata: first\r\ndata: second\r\n\r\ndata: [DONE]\n\n"
        #expect(
            decode(text, pieces: size) == [
                ServerSentEvent(data: #"{"a":1}"#),
                ServerSentEvent(event: "update", data: "first\nsecond"),
                ServerSentEvent(data: "[DONE]"),
            ])
    }

    @Test func crlfSplitBetweenFeedsIsOneLineEnd() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(Array("data: x\r".utf8)).isEmpty)
        #expect(decoder.feed(Array("\n\r".utf8)) == [ServerSentEvent(data: "x")])
        #expect(decoder.feed(Array("\ndata: y\n\n".utf8)) == [ServerSentEvent(data: "y")])
    }

    @Test func bareCarriageReturnsEndLines() {
        #expect(decode("data: a\rdata: b\r\r", pieces: 4) == [ServerSentEvent(data: "a\nb")])
    }

    @Test func fieldsWithoutSpaceIdRetryAndUnknownFields() {
        let events = decode("id: 7\nretry: 1500\nfoo: bar\ndata:tight\n\nretry: soon\ndata\n\n", pieces: 5)
        #expect(
            events == [
                ServerSentEvent(data: "tight", id: "7", retry: 1500),
                ServerSentEvent(data: "", id: "7", retry: 1500),
            ])
    }

    @Test func eventsWithoutDataAreDropped() {
        #expect(decode("event: ping\n\n: only a comment\n\n", pieces: 3).isEmpty)
    }

    @Test func unterminatedLastEventIsReturnedByFinish() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(Array("data: partial".utf8)).isEmpty)
        #expect(decoder.finish() == ServerSentEvent(data: "partial"))
        #expect(decoder.finish() == nil)
    }

    @Test func multibyteCharactersSplitAcrossFeeds() {
        #expect(decode("data: héllo ✓ 😀\n\n", pieces: 1) == [ServerSentEvent(data: "héllo ✓ 😀")])
    }

    @Test(
        "a leading byte order mark is skipped, however the first bytes are split; only at the stream's start",
        arguments: [1, 2, 3, 1000])
    func leadingByteOrderMarkIsSkipped(size: Int) {
        #expect(
            decode("\u{FEFF}data: first\n\ndata: second\n\n", pieces: size)
                == [ServerSentEvent(data: "first"), ServerSentEvent(data: "second")])
        #expect(decode("data: a\n\n\u{FEFF}data: b\n\n", pieces: size) == [ServerSentEvent(data: "a")])
    }

    @Test("bytes that only begin like a byte order mark are kept")
    func partialByteOrderMarkIsText() {
        var decoder = SSEDecoder()
        #expect(decoder.feed([0xEF, 0xBB]).isEmpty)
        #expect(decoder.feed(Array("\ndata: x\n\n".utf8)) == [ServerSentEvent(data: "x")])
        var kept = SSEDecoder()
        #expect(kept.feed([0xEF] + Array("data: y\n\n".utf8)).isEmpty)  // a field named "\u{FFFD}data": unknown
    }

    @Test("a retry value larger than Int is ignored, keeping the last valid one; an empty event type is the default")
    func oversizedRetryIsIgnored() {
        let events = decode("retry: 1500\ndata: a\n\nretry: 99999999999999999999999\nevent:\ndata: b\n\n", pieces: 4)
        #expect(events == [ServerSentEvent(data: "a", retry: 1500), ServerSentEvent(data: "b", retry: 1500)])
    }
}
