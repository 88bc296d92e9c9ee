@testable import Catena
import Foundation
import Testing

@Suite struct JSONParsingTests {
    /// What Foundation's decoder makes of `text`, for comparison.
    private func foundation(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func parsesWhatFoundationParses() throws {
        let documents = [
            #"{"b": [1, -2, 2.5, -0.25, 2.5e-3, 1.5E-7, true, false, null], "a": "x", "nested": {"deep": [[], {}]}}"#,
            #"  [ "tab\tand\nnewline", "quote \" backslash \\ slash \/", "\u00e9\u2713", "\ud83d\ude00", "é ✓ 😀" ]  "#,
            #""just a string""#, "42", "-0", "null", "[]", "{}",
            #"{"max": 9223372036854775807, "min": -9223372036854775808, "big": 92233720368547758070}"#,
        ]
        for document in documents {
            #expect(try JSONValue(parsing: document) == (try foundation(document)), "\(document)")
        }
    }

    @Test func integersStayIntegersAndFractionsDoubles() throws {
        let value = try JSONValue(parsing: #"[0, -7, 1.0, 2e2, 92233720368547758070]"#)
        #expect(value == [.int(0), .int(-7), .double(1), .double(200), .double(Double("92233720368547758070")!)])
    }

    @Test func bytesAndTextParseAlike() throws {
        let text = #"{"role": "assistant", "content": "héllo", "n": [1, 2]}"#
        #expect(try JSONValue(parsing: Array(text.utf8)) == (try JSONValue(parsing: text)))
    }

    @Test func aRepeatedMemberNameKeepsTheLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a": 1, "b": 2, "a": 3}"#) == ["a": 3, "b": 2])
    }

    @Test(
        arguments: [(String, String)]([
            ("", "unexpected end of input"),
            ("{", "expected a member name"),
            (#"{"a" 1}"#, "expected ':'"),
            (#"{"a": 1,}"#, "expected a member name"),
            ("[1, 2", "expected ',' or ']'"),
            ("[1 2]", "expected ',' or ']'"),
            (#""open"#, "unterminated string"),
            ("\"tab\there\"", "unescaped control character"),
            (#""\x""#, "invalid escape"),
            (#""\u12""#, #"truncated \u escape"#),
            (#""\u12G4""#, "invalid hex digit"),
            (#""\ud83d alone""#, "unpaired surrogate"),
            (#""\ude00""#, "unpaired surrogate"),
            ("01", "unexpected text after the JSON value"),
            ("1.", "expected a digit"),
            ("-", "expected a digit"),
            ("1e+", "expected a digit"),
            ("tru", "invalid literal"),
            ("nul", "invalid literal"),
            ("{} {}", "unexpected text after the JSON value"),
            ("'single'", "unexpected character"),
        ]))
    func invalidJSONNamesWhatIsWrongAndWhere(text: String, reason: String) {
        do {
            let value = try JSONValue(parsing: text)
            Issue.record("\(text) parsed as \(value)")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("Invalid JSON at byte "), "\(context.debugDescription)")
            #expect(context.debugDescription.contains(reason), "\(text): \(context.debugDescription)")
        } catch {
            Issue.record("\(text): unexpected \(error)")
        }
    }

    @Test func invalidUTF8IsRefusedNotRepaired() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]  // "a" followed by a broken two-byte sequence
        #expect(throws: DecodingError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func nestingIsBoundedInsteadOfExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: DecodingError.self) { try JSONValue(parsing: deep) }
        let allowed =
            String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(try JSONValue(parsing: allowed).arrayValue?.count == 1)
    }

    /// A type read by hand through the pull reader, as the wire types are.
    private struct Order: JSONReadable, Equatable {
        var id: String?
        var counts: [Int] = []
        var note: JSONValue?

        static func read(from parser: inout JSONParser) throws -> Order? {
            var order = Order()
            var counts: [Int]?
            let present = try parser.readObject { parser, name in
                switch name {
                case "id": order.id = try parser.readString()
                case "counts":
                    var read: [Int] = []
                    if try parser.readArray({ parser, _ in read.append(try parser.readInt() ?? -1) }) { counts = read }
                case "note": order.note = try parser.readValue()
                default: try parser.skipValue()
                }
            }
            guard present else { return nil }
            guard let counts else { throw DecodingError.missingMember("counts") }
            order.counts = counts
            return order
        }
    }

    @Test func thePullReaderMatchesNamesSkipsUnknownMembersAndReadsNullAsAbsent() throws {
        let text = #"{"unknown": {"deep": [1, "x\n", {"y": null}]}, "i\u0064": "é", "counts": [1, 2], "note": null}"#
        #expect(try Order(readingJSON: text) == Order(id: "é", counts: [1, 2], note: nil))
        #expect(try Order(readingJSON: #" {"counts": [], "note": {"a": [true]}} "#).note == ["a": [true]])
        #expect(throws: DecodingError.self) { try Order(readingJSON: "null") }
    }

    @Test func thePullReaderReportsTheCodingPathOfAMismatch() throws {
        do {
            _ = try Order(readingJSON: #"{"counts": [1, "two"]}"#)
            Issue.record("a string read as an integer")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["counts", "Index 1"])
            #expect(context.debugDescription.contains(#""two""#))
        }
        do {
            _ = try Order(readingJSON: #"{"id": "a"}"#)
            Issue.record("a missing member read")
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "counts")
        }
    }

    @Test func thePullReaderIsAsStrictAsTheParserInsideSkippedValues() {
        // Corrupt data is reported by offset, whether the value is read or skipped.
        for text in [
            #"{"counts": [], "x": [1,]}"#, #"{"counts": [], "x": "a\q"}"#, #"{"counts": []} x"#,
            #"{"counts": [], "x": tru}"#,
        ] {
            #expect(throws: DecodingError.self, "\(text)") { try Order(readingJSON: text) }
        }
        let brokenUTF8: [UInt8] = Array(#"{"counts": [], "x": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: DecodingError.self) { try Order(readingJSON: brokenUTF8) }
    }

    @Test func decoderFollowsJSONDecoderForPlainCodableTypes() throws {
        struct Item: Codable, Equatable {
            var name: String
            var count: Int
            var ratio: Double?
            var tags: [String]
            var extra: JSONValue?
            var small: UInt8?
        }
        let text = #"{"name": "a", "count": 3, "ratio": null, "tags": ["x", "y"], "extra": {"k": [1]}, "small": 7}"#
        let ours = try decode(Item.self, text)
        #expect(ours == (try JSONDecoder().decode(Item.self, from: Data(text.utf8))))

        do {
            _ = try decode(Item.self, #"{"name": "a", "count": 3.5, "tags": []}"#)
            Issue.record("a fraction decoded as Int")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["count"])
        }
        #expect(throws: DecodingError.self) {
            try decode(Item.self, #"{"name": "a", "count": 1, "tags": [], "small": 300}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(Item.self, #"{"count": 1, "tags": []}"#)
        }
    }

    @Test(
        "JSONValue decodes deep objects and arrays through Foundation's JSONDecoder, and converts through JSONEncoder",
        arguments: [(#"{"a":"#, "}"), ("[", "]"), (#"[{"a":"#, "}]")])
    func deepNestingThroughFoundation(open: String, close: String) throws {
        let depth = 470 / open.filter { $0 == "[" || $0 == "{" }.count
        let text =
            String(repeating: open, count: depth) + "[1, 2.5, \"x\", null, true]"
            + String(repeating: close, count: depth)
        // Its speed (once quadratic: each case tried in turn) is the benchmark's row "JSONValue through JSONDecoder".
        let decoded = try foundation(text)
        #expect(decoded == (try JSONValue(parsing: text)))
        #expect(try JSONValue(encoding: decoded) == decoded)
    }

    @Test("scalars and null decode through Foundation as they parse")
    func scalarsThroughFoundation() throws {
        for text in ["null", "true", "-3", "2.5", #""s""#, #"[null, {"n": null}]"#] {
            #expect(try foundation(text) == (try JSONValue(parsing: text)), "\(text)")
        }
    }

    /// `text` decoded by the tree decoder.
    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try Array(text.utf8).withUnsafeBufferPointer { try JSONValueDecoder().decode(T.self, fromJSON: $0) }
    }
}
