extension JSONValue {
    /// Compact JSON bytes with sorted keys and unescaped slashes, the same text `JSONEncoder` writes with
    /// `[.sortedKeys, .withoutEscapingSlashes]`, written directly (several times faster than going through
    /// `Encodable`). Non-finite numbers, which JSON cannot carry, are written as `null`.
    public var serializedBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(into: &bytes)
        return bytes
    }

    /// An object with `members` written in the order given (names must be unique): a request built as a list is
    /// sent without hashing or sorting its members.
    package static func serializedObject(_ members: [(String, JSONValue)]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        writeObject(members, into: &bytes)
        return bytes
    }

    /// Writes this value as compact JSON at the end of `bytes`.
    func write(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes += "null".utf8
        case .bool(let value): bytes += (value ? "true" : "false").utf8
        case .int(let value): bytes += String(value).utf8
        case .double(let value):
            if !value.isFinite {
                bytes += "null".utf8
            } else if value.rounded() == value, abs(value) < 1e15 {
                bytes += String(Int(value)).utf8
            } else {
                bytes += value.description.utf8
            }
        case .string(let value): Self.writeString(value, into: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (position, value) in values.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            Self.writeObject(object.sorted { $0.key < $1.key }.lazy.map { ($0.key, $0.value) }, into: &bytes)
        }
    }

    private static func writeObject(_ members: some Sequence<(String, JSONValue)>, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (position, (name, value)) in members.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything else as UTF-8.
    package static func writeString(_ string: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            // Runs of bytes that need no escape (usually the whole string) are copied in one piece.
            var run = 0
            for (index, byte) in utf8.enumerated()
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                run = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes += #"\""#.utf8
                case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
                case 0x0A: bytes += #"\n"#.utf8
                case 0x0D: bytes += #"\r"#.utf8
                case 0x09: bytes += #"\t"#.utf8
                case 0x08: bytes += #"\b"#.utf8
                case 0x0C: bytes += #"\f"#.utf8
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += #"\u00"#.utf8
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
