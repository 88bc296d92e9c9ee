extension JSONValue {
    /// The JSON object `object` with its top-level members named in `members` set to their values: each one present
    /// has its value replaced where it stands, each one absent is added at the end; every other byte stays as it was
    /// (a gateway passes a caller's body on with only the model name changed).
    /// - Throws: `DecodingError` when `object` is not one well-formed JSON object.
    package static func settingMembers(_ members: [(String, JSONValue)], in object: [UInt8]) throws -> [UInt8] {
        // The replaced values' byte ranges, by member, and where the object's closing brace stands.
        let (replaced, closingBrace, isEmpty) = try object.withUnsafeBufferPointer { bytes in
            try JSONParser.read(bytes) { parser in
                var replaced: [(range: Range<Int>, member: Int)] = []
                var isEmpty = true
                guard parser.current == UInt8(ascii: "{") else { throw parser.failure("expected a JSON object") }
                _ = try parser.readObject { parser, name in
                    isEmpty = false
                    let start = parser.position
                    try parser.skipValue()
                    let text = name.description
                    if let member = members.firstIndex(where: { $0.0 == text }) {
                        replaced.append((start..<parser.position, member))
                    }
                }
                return (replaced, parser.position - 1, isEmpty)
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(object.count + 64)
        var copied = 0
        for (range, member) in replaced {
            result += object[copied..<range.lowerBound]
            members[member].1.write(into: &result)
            copied = range.upperBound
        }
        result += object[copied..<closingBrace]
        var needsComma = !isEmpty
        for (index, (name, value)) in members.enumerated() where !replaced.contains(where: { $0.member == index }) {
            if needsComma { result.append(UInt8(ascii: ",")) }
            needsComma = true
            writeString(name, into: &result)
            result.append(UInt8(ascii: ":"))
            value.write(into: &result)
        }
        result += object[closingBrace...]
        return result
    }
}
