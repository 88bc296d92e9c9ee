@testable import CatenaRedis
import NIOCore
import Testing

/// Replies a broken or hostile Redis server could send: each is a protocol error or a wait for more bytes.
@Suite struct RESPReaderTests {
    func read(_ text: String) throws -> RESPValue? {
        var buffer = ByteBuffer(string: text)
        return try RESPValue.read(from: &buffer)
    }

    @Test("well-formed replies, and incomplete ones that wait for more bytes")
    func replies() throws {
        #expect(try read("+OK\r\n") == .simpleString("OK"))
        #expect(try read("$5\r\nhello\r\n") == .bulkString(Array("hello".utf8)))
        #expect(try read("*2\r\n:1\r\n$-1\r\n") == .array([.integer(1), .bulkString(nil)]))
        #expect(try read("$5\r\nhel") == nil)
        #expect(try read("*3\r\n:1\r\n") == nil)
    }

    @Test(
        "absurd lengths and counts, deep nesting and bad framing are protocol errors, never a trap or a huge allocation",
        arguments: [
            "$9223372036854775807\r\n", "$9223372036854775806\r\nab\r\n", "*9223372036854775807\r\n:1\r\n",
            String(repeating: "*1\r\n", count: 100_000) + ":1\r\n", "$2\r\nabXY", "+OK\rX", ":12x\r\n",
            "$99999999999999999999\r\n", "!3\r\n",
        ].map(Reply.init))
    func hostileReplies(reply: Reply) {
        var buffer = ByteBuffer(string: reply.text)
        do {
            let value = try RESPValue.read(from: &buffer)
            #expect(value == nil, "\(String(describing: value))")  // only a count that must wait for its elements
        } catch {
            #expect(error is RedisError)
        }
    }

    /// A reply as a test argument, named short enough to read in the test log (one is 100,000 levels deep).
    struct Reply: Sendable, CustomTestStringConvertible {
        let text: String
        var testDescription: String {
            text.utf8.count <= 40
                ? text.debugDescription : "\(String(text.prefix(12)).debugDescription)… (\(text.utf8.count) bytes)"
        }
    }
}
