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

    @Test(arguments: [(String, String)]([
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
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(try JSONValue(parsing: allowed).arrayValue?.count == 1)
    }

    @Test func fieldsReportTheCodingPathOfAMismatch() throws {
        let value = try JSONValue(parsing: #"{"items": [{"n": 1}, {"n": "two"}]}"#)
        let fields = try JSONFields(value)
        do {
            _ = try fields.array("items") { try JSONFields($0).int("n") }
            Issue.record("a string read as an integer")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "n"])
            #expect(context.debugDescription.contains(#""two""#))
        }
        #expect(throws: DecodingError.self) { try fields.required("missing", JSONFields.int) }
        #expect(try fields.string("absent") == nil)
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
        let ours = try JSONValueDecoder().decode(Item.self, fromJSON: Array(text.utf8))
        #expect(ours == (try JSONDecoder().decode(Item.self, from: Data(text.utf8))))

        do {
            _ = try JSONValueDecoder().decode(Item.self, fromJSON: Array(#"{"name": "a", "count": 3.5, "tags": []}"#.utf8))
            Issue.record("a fraction decoded as Int")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["count"])
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Item.self, fromJSON: Array(#"{"name": "a", "count": 1, "tags": [], "small": 300}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Item.self, fromJSON: Array(#"{"count": 1, "tags": []}"#.utf8))
        }
    }
}
