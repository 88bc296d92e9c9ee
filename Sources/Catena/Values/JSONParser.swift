/// A strict JSON (RFC 8259) parser from UTF-8 bytes straight into ``JSONValue``.
///
/// It exists for speed: on Linux, Foundation's `JSONDecoder` is several times slower on a chat completion, and
/// slower still producing a `JSONValue` (it tries each case in turn); this takes one pass. Numbers without a fraction
/// or exponent that fit in `Int` become `.int`, others `.double`. Errors are `DecodingError.dataCorrupted` with the
/// byte offset, as `JSONDecoder` reports them. A number beyond `Double`'s range (`1e400`) is an error, not infinity.
///
/// Hand-written decoders of hot wire types read through it without building the tree (see `JSONParser+Reading`).
package struct JSONParser: ~Copyable {
    /// How deep arrays and objects may nest (as `JSONDecoder`), so hostile input cannot exhaust the stack.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    private var depth = 0
    /// The members of the objects being parsed, innermost last: each object's dictionary is then built once at its
    /// final size instead of growing member by member.
    private var members: [(String, JSONValue)] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The one JSON value in `bytes` (surrounding whitespace allowed).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        try read(bytes) { try $0.parseValue() }
    }

    /// Reads the one JSON value in `bytes` (surrounding whitespace allowed) with `read`, which must consume it.
    package static func read<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ read: (inout JSONParser) throws -> T) throws -> T
    {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try read(&parser)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// The byte at the current position, or 0 (never valid outside a string) at the end.
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    mutating func skipWhitespace() {
        var index = position
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default:
                position = index
                return
            }
        }
        position = index
    }

    mutating func parseValue() throws -> JSONValue {
        switch current {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case 0 where position == bytes.count: throw failure("unexpected end of input")
        default: throw failure("unexpected character '\(Unicode.Scalar(current))'")
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        let first = members.count
        _ = try readObject { parser, name in
            let value = try parser.parseValue()
            parser.members.append((name.description, value))
        }
        var object = [String: JSONValue](minimumCapacity: members.count - first)
        for (name, value) in members[first...] { object[name] = value }  // a repeated name: the last one wins
        members.removeSubrange(first...)
        return .object(object)
    }

    private mutating func parseArray() throws -> JSONValue {
        var elements: [JSONValue] = []
        _ = try readArray { parser, _ in elements.append(try parser.parseValue()) }
        return .array(elements)
    }

    /// Steps into an array or object (past its opening bracket), refusing nesting deeper than the maximum.
    mutating func descend() throws {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1
    }

    /// Steps out of an array or object (past its closing bracket).
    mutating func ascend() {
        position += 1
        depth -= 1
    }

    /// After a member or element: true past the closing bracket, false past a comma (and the whitespace after it).
    mutating func endOfContainer(closer: UInt8) throws -> Bool {
        switch current {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
            return false
        case closer:
            ascend()
            return true
        default:
            throw failure("expected ',' or '\(Unicode.Scalar(closer))'")
        }
    }

    mutating func expect(_ literal: StaticString) throws {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard position + expected.count <= bytes.count,
            expected.elementsEqual(bytes[position..<position + expected.count])
        else { throw failure("invalid literal (expected \(literal))") }
        position += expected.count
    }

    /// A string, from its opening quote to past its closing one. Strings without escapes (nearly all) are taken
    /// from the input in one piece.
    mutating func parseString() throws -> String {
        let scanned = try scanString()
        if scanned.escaped { return try parseEscapedString(prefix: scanned.content) }
        // ASCII needs no validation (the common case, and the validating initializer is not specialized).
        return scanned.ascii ? String(decoding: scanned.content, as: UTF8.self) : try text(scanned.content)
    }

    /// Scans a string from its opening quote. Without escapes: its bytes, the position past the closing quote.
    /// With escapes: the bytes before the first one, the position at its backslash (`escaped` set).
    mutating func scanString() throws -> (content: UnsafeBufferPointer<UInt8>, ascii: Bool, escaped: Bool) {
        let start = position + 1
        var index = start  // a local, not the stored position: this loop sees every byte of every string
        var ascii = true
        defer { position = index }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                if byte >= 0x80 { ascii = false }
                index += 1
                continue
            }
            let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return (content, ascii, false)
            case UInt8(ascii: "\\"):
                return (content, ascii, true)
            default:
                throw failure(at: index, "unescaped control character in a string")
            }
        }
        throw failure(at: index, "unterminated string")
    }

    /// The rest of a string that has escapes, after the escape-free `prefix`.
    mutating func parseEscapedString(prefix: UnsafeBufferPointer<UInt8>) throws -> String {
        var utf8 = Array(prefix)
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8.withUnsafeBufferPointer { try text($0) }
            case UInt8(ascii: "\\"):
                try appendEscape(to: &utf8)
            case 0..<0x20:
                position -= 1
                throw failure("unescaped control character in a string")
            default:
                utf8.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// Decodes the escape after a backslash into `utf8`.
    private mutating func appendEscape(to utf8: inout [UInt8]) throws {
        let escaped = current
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"): utf8.append(contentsOf: UTF8.encode(try parseUnicodeEscape())!)
        default:
            position -= 1
            throw failure("invalid escape '\\\(Unicode.Scalar(escaped))'")
        }
    }

    /// The scalar of a `\uXXXX` escape (its `\u` consumed), joining a surrogate pair written as two escapes.
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let unit = try hexQuad()
        switch unit {
        case 0xD800..<0xDC00:
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
            else { throw failure("unpaired surrogate in \\u escape") }
            position += 2
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
            return Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))!
        case 0xDC00..<0xE000:
            throw failure("unpaired surrogate in \\u escape")
        default:
            return Unicode.Scalar(unit)!
        }
    }

    private mutating func hexQuad() throws -> UInt16 {
        guard position + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let digit: UInt8
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = bytes[position] - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = bytes[position] - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = bytes[position] - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// A string from UTF-8 bytes, refusing invalid UTF-8 (as `JSONDecoder` does) rather than repairing it.
    func text(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let string = String(validating: utf8, as: UTF8.self) else { throw failure("invalid UTF-8 in a string") }
        return string
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            position += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if integral, let value = Self.integer(literal) { return .int(value) }
        // Fractions, exponents and integers too large for Int. One beyond Double's range would read as infinity and
        // be written back as null: it is refused rather than changed.
        guard let value = Double(String(decoding: literal, as: UTF8.self)) else {
            throw failure(at: start, "invalid number")
        }
        guard value.isFinite else { throw failure(at: start, "number out of range") }
        return .double(value)
    }

    /// One or more decimal digits.
    private mutating func digits() throws {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(current) else { throw failure("expected a digit") }
        repeat { position += 1 } while (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(current)
    }

    /// An optionally negative decimal integer literal, or `nil` when it overflows `Int`.
    private static func integer(_ literal: UnsafeBufferPointer<UInt8>) -> Int? {
        let negative = literal.first == UInt8(ascii: "-")
        var value = 0
        for digit in literal.dropFirst(negative ? 1 : 0) {
            // Accumulated negatively, so Int.min fits.
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, underflow) = shifted.subtractingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow, !underflow else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    func failure(_ reason: String) -> DecodingError { failure(at: position, reason) }

    func failure(at offset: Int, _ reason: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "Invalid JSON at byte \(offset): \(reason)."))
    }
}
