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
        let text = "data: {\"a\":1}\n\n: keep-alive comment\n\nevent: update\r\ndata: first\r\ndata: second\r\n\r\ndata: [DONE]\n\n"
        #expect(decode(text, pieces: size) == [
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
        #expect(events == [
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
}
