import Catena
import Foundation
import Testing

/// `Codable` types written and read through `JSONValue`, as Foundation's `JSONEncoder` and `JSONDecoder` write and
/// read their JSON text with the default strategies.
@Suite struct JSONValueCodingTests {
    struct Inner: Codable, Equatable {
        var tags: [String]
        var weight: Double?
    }

    enum Mood: String, Codable { case calm, busy }

    struct Record: Codable, Equatable {
        var name: String
        var count: Int
        var big: UInt64
        var ok: Bool
        var mood: Mood
        var missing: String?
        var inner: Inner
        var matrix: [[Int]]
        var byName: [String: Inner]
        var when: Date
        var site: URL
        var blob: Data
        var amount: Decimal
    }

    static let record = Record(
        name: "a \"quoted\" é", count: -3, big: 42, ok: true, mood: .busy, missing: nil,
        inner: Inner(tags: ["x", "y"], weight: 0.5), matrix: [[1, 2], [], [3]],
        byName: ["k": Inner(tags: [], weight: nil)], when: Date(timeIntervalSinceReferenceDate: 123.25),
        site: URL(string: "https://example.com/a?b=c")!, blob: Data([0, 1, 254, 255]), amount: Decimal(string: "12.5")!)

    @Test func anEncodedValueIsWhatJSONEncoderWrites() throws {
        let expected = try JSONValue(parsing: Array(JSONEncoder().encode(Self.record)))
        #expect(try JSONValue(encoding: Self.record) == expected)
    }

    @Test func aDecodedValueIsWhatJSONDecoderReads() throws {
        let json = try JSONValue(parsing: Array(JSONEncoder().encode(Self.record)))
        #expect(try json.decode(as: Record.self) == Self.record)
    }

    @Test func aNonFiniteNumberOrAValueThatEncodesNothingIsRefused() throws {
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Inner(tags: [], weight: .infinity)) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: ["x": [JSONValue.double(.nan)]] as JSONValue) }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) {} }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Nothing()) }
        // Below the top level, a value that encodes nothing is an empty object, as JSONEncoder writes it.
        #expect(try JSONValue(encoding: [Nothing()]) == [[:]])
    }

    @Test func aMismatchedOrInvalidValueNamesItsPath() throws {
        let json: JSONValue = ["tags": ["x", 3]]
        #expect {
            try json.decode(as: Inner.self)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["tags", "Index 1"]
        }
        struct Site: Decodable { var site: URL; var blob: Data }
        #expect(throws: DecodingError.self) { try (["site": "", "blob": "AA=="] as JSONValue).decode(as: Site.self) }
        #expect(throws: DecodingError.self) {
            try (["site": "https://x", "blob": "not base64"] as JSONValue).decode(as: Site.self)
        }
    }
}
