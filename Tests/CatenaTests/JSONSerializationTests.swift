import Catena
import Foundation
import Testing

@Suite struct JSONSerializationTests {
    @Test func serializedBytesMatchJSONEncoder() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ slash / newline \n tab \t bell \u{07} é ✓ 😀",
            "numbers": [0, -3, 0.2, 1.5e-7, 12345678.25, 1e20, 2.0],
            "nested": ["b": true, "a": nil, "c": []], "empty": [:],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try JSONValue(parsing: String(decoding: try encoder.encode(value), as: UTF8.self))
        #expect(try JSONValue(parsing: value.jsonString) == expected)
        #expect(value.jsonString.hasPrefix(#"{"empty":{},"nested":{"a":null,"b":true,"c":[]},"numbers":[0,-3,0.2,"#))
        #expect(JSONValue.double(.nan).jsonString == "null")
    }
}
