/// Pull reading: a hand-written decoder walks the JSON itself, matching member names by their bytes and building
/// only the values it keeps (no dictionaries, no hashing). Each `read…` method consumes one whole value and reads
/// `null` as `nil`, as `decodeIfPresent` does; a value of the wrong type throws the `DecodingError` `JSONDecoder`
/// would, and the member names and indexes it sits under are prefixed to its coding path.
extension JSONParser {
    /// Reads an object member by member: `member` gets each name and must read or skip its value.
    /// - Returns: `false` for `null` (nothing read).
    package mutating func readObject(_ member: (inout JSONParser, JSONMemberName) throws -> Void) throws -> Bool {
        if try readNull() { return false }
        guard current == UInt8(ascii: "{") else { throw try mismatch([String: JSONValue].self) }
        try descend()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            ascend()
            return true
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let name = try readMemberName()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after member name \"\(name)\"") }
            position += 1
            skipWhitespace()
            try JSONParser.under(JSONKey(name.description), try member(&self, name))
            skipWhitespace()
            if try endOfContainer(closer: UInt8(ascii: "}")) { return true }
        }
    }

    /// Reads an array element by element: `element` gets each index and must read or skip the element.
    /// - Returns: `false` for `null` (nothing read).
    package mutating func readArray(_ element: (inout JSONParser, Int) throws -> Void) throws -> Bool {
        if try readNull() { return false }
        guard current == UInt8(ascii: "[") else { throw try mismatch([JSONValue].self) }
        try descend()
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            ascend()
            return true
        }
        var index = 0
        while true {
            try JSONParser.under(JSONKey(index: index), try element(&self, index))
            index += 1
            skipWhitespace()
            if try endOfContainer(closer: UInt8(ascii: "]")) { return true }
        }
    }

    /// A string.
    package mutating func readString() throws -> String? {
        if try readNull() { return nil }
        guard current == UInt8(ascii: "\"") else { throw try mismatch(String.self) }
        return try parseString()
    }

    /// An integer (an integral number that fits `Int`).
    package mutating func readInt() throws -> Int? { try readNumber(Int.self, \.intValue) }

    /// A count: an integer that fits `Int` and is not negative (token counts, which must never be negative).
    package mutating func readCount() throws -> Int? {
        let start = position
        guard let count = try readInt() else { return nil }
        guard count >= 0 else {
            position = start
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: [], debugDescription: "Expected a count (not negative) but found \(count).")
            )
        }
        return count
    }

    /// A number.
    package mutating func readDouble() throws -> Double? { try readNumber(Double.self, \.doubleValue) }

    /// A number as `convert` takes it (`nil` from `convert`: a mismatch).
    private mutating func readNumber<T>(_ type: T.Type, _ convert: (JSONValue) -> T?) throws -> T? {
        if try readNull() { return nil }
        let start = position
        guard let number = convert(try parseValue()) else {
            position = start
            throw try mismatch(T.self)
        }
        return number
    }

    /// Any value, as a tree.
    package mutating func readValue() throws -> JSONValue? {
        let value = try parseValue()
        // Not a ternary: its `nil` would become `.null` (JSONValue is nil-literal expressible).
        if case .null = value { return nil }
        return value
    }

    /// Steps over a value (checking it is well-formed) without building its arrays and objects.
    package mutating func skipValue() throws {
        switch current {
        case UInt8(ascii: "{"): _ = try readObject { parser, _ in try parser.skipValue() }
        case UInt8(ascii: "["): _ = try readArray { parser, _ in try parser.skipValue() }
        default: _ = try parseValue()
        }
    }

    /// Steps over `null`; false (nothing consumed) for anything else.
    private mutating func readNull() throws -> Bool {
        guard current == UInt8(ascii: "n") else { return false }
        try expect("null")
        return true
    }

    /// A member name from its opening quote: the input's bytes when it has no escapes, else the decoded text.
    private mutating func readMemberName() throws -> JSONMemberName {
        let scanned = try scanString()
        if scanned.escaped { return JSONMemberName(decoded: try parseEscapedString(prefix: scanned.content)) }
        if !scanned.ascii { return JSONMemberName(decoded: try text(scanned.content)) }
        return JSONMemberName(bytes: scanned.content)
    }

    /// The error for the value at the current position where a `type` was expected (the value is parsed to name it).
    private mutating func mismatch(_ type: Any.Type) throws -> DecodingError {
        DecodingError.mismatch(type, found: try parseValue())
    }

    /// Runs `read`, prefixing `key` (made only then) to the coding path of a type or key error it throws (not to
    /// corrupt data, which is reported by byte offset).
    private static func under(_ key: @autoclosure () -> JSONKey, _ read: @autoclosure () throws -> Void) throws {
        do {
            try read()
        } catch let error as DecodingError {
            if case .dataCorrupted = error { throw error }
            throw error.prefixed(with: key())
        }
    }
}

/// An object member's name while it is being read: match it against literals with `switch` (`case "id":`).
package struct JSONMemberName: CustomStringConvertible {
    /// The name's UTF-8 bytes in the input (names without escapes or non-ASCII characters, nearly all).
    private let bytes: UnsafeBufferPointer<UInt8>?
    /// The decoded name otherwise.
    private let decoded: String?

    fileprivate init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        decoded = nil
    }

    fileprivate init(decoded: String) {
        bytes = nil
        self.decoded = decoded
    }

    /// Whether `name` is `literal`.
    package static func ~= (literal: StaticString, name: JSONMemberName) -> Bool {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        if let bytes = name.bytes {
            guard bytes.count == expected.count else { return false }
            for index in 0..<bytes.count where bytes[index] != expected[index] { return false }
            return true
        }
        return name.decoded!.utf8.elementsEqual(expected)
    }

    /// The name as text.
    package var description: String { decoded ?? String(decoding: bytes!, as: UTF8.self) }
}

/// A type read straight from JSON bytes by a hand-written reader (the hot wire types of model servers).
package protocol JSONReadable {
    /// Reads one whole value at the parser's position; `nil` for `null`.
    static func read(from parser: inout JSONParser) throws -> Self?
}

extension JSONReadable {
    /// Reads `bytes`, which must hold one value of this type.
    /// - Throws: `DecodingError`: corrupt data with its byte offset, or the member that is missing or mistyped.
    package init(readingJSON bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let value = try JSONParser.read(bytes, { try Self.read(from: &$0) }) else {
            throw DecodingError.mismatch(Self.self, found: .null)
        }
        self = value
    }

    /// Reads `bytes`, which must hold one value of this type.
    package init(readingJSON bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBufferPointer { try Self(readingJSON: $0) }
    }

    /// Reads `text`, which must hold one value of this type.
    package init(readingJSON text: String) throws {
        var text = text
        self = try text.withUTF8 { try Self(readingJSON: $0) }
    }
}
