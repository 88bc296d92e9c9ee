import Foundation

/// A `Sendable` JSON value used for metadata, model parameters, tool arguments and event data.
///
/// ```swift
/// let meta: JSONValue = ["user": "ada", "attempt": 2, "tags": ["a", "b"]]
/// meta["user"]?.stringValue // "ada"
/// ```
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without a fractional part.
    case int(Int)
    /// A number with a fractional part.
    case double(Double)
    /// A string.
    case string(String)
    /// An ordered array.
    case array([JSONValue])
    /// An object; keys are encoded sorted so output is stable.
    case object([String: JSONValue])
}

extension JSONValue {
    /// The string, when this is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, when this is `.int` or `.double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The integer, when this is `.int` (or a `.double` without a fractional part).
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value: Int(exactly: value)
        default: nil
        }
    }

    /// The Boolean, when this is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, when this is `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, when this is `.object`.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `.null`.
    public var isNull: Bool { self == .null }

    /// The member named `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` of an array, or `nil` when out of range.
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value (see `JSONValue+Decoding.swift` for how it stays fast with a foreign decoder).
    public init(from decoder: any Decoder) throws {
        if let parsed = decoder as? ValueDecoder {
            // Decoding from an already parsed tree: the value is at hand.
            self = parsed.value
            return
        }
        self = try JSONValue(decoding: decoder, arraysFirst: false, parentIsArray: nil)
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses JSON text.
    /// - Throws: `DecodingError.dataCorrupted` naming the byte offset when `text` is not valid JSON.
    public init(parsing text: String) throws {
        var text = text
        self = try text.withUTF8 { try JSONParser.parse($0) }
    }

    /// Parses JSON from UTF-8 bytes.
    /// - Throws: `DecodingError.dataCorrupted` naming the byte offset when `utf8` is not valid JSON.
    public init(parsing utf8: [UInt8]) throws {
        self = try utf8.withUnsafeBufferPointer { try JSONParser.parse($0) }
    }

    /// Converts any `Encodable` value, as `JSONEncoder` would encode it (`Data` as base64, `URL` as a string), without
    /// going through JSON text.
    /// - Throws: `EncodingError` for a non-finite number or a value that encodes nothing.
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder().encode(value)
    }

    /// Decodes this value into a `Decodable` type, as `JSONDecoder` would decode its JSON text, without going
    /// through it.
    /// - Throws: `DecodingError` naming the coding path of a missing or mismatched value.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONValueDecoder().decode(T.self, from: self)
    }

    /// Compact JSON text with sorted keys.
    public var jsonString: String { String(decoding: serializedBytes, as: UTF8.self) }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON text.
    public var description: String { jsonString }
}
