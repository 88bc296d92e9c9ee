/// A key of the configuration file, by name: each section reads the keys it knows and refuses any other, so a
/// misspelt key is an error that names it instead of a setting silently ignored.
struct ConfigKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == ConfigKey {
    /// Throws for the first key that is not among `known`, naming the keys the section takes.
    func refuseUnknownKeys(_ known: [String]) throws {
        for key in allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription:
                        "unknown key '\(key.stringValue)'; this section takes \(known.joined(separator: ", "))"))
        }
    }

    /// The value under `name`, if present.
    func optional<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T? {
        try decodeIfPresent(type, forKey: ConfigKey(name))
    }

    /// A number of seconds under `name`, if present: finite, 0 or more, and under 30 years (a duration made from
    /// anything else would trap).
    func seconds(_ name: String) throws -> Double? {
        guard let value = try optional(name, as: Double.self) else { return nil }
        guard value.isFinite, value >= 0, value < 1e9 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [ConfigKey(name)],
                    debugDescription: "expected a number of seconds, 0 or more (got \(value))"))
        }
        return value
    }

    /// The value under `name`, which must be present.
    func required<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try decode(type, forKey: ConfigKey(name))
    }
}

extension Decoder {
    /// The section's keys, having refused any key not among `known`.
    func section(_ known: [String]) throws -> KeyedDecodingContainer<ConfigKey> {
        let container = try container(keyedBy: ConfigKey.self)
        try container.refuseUnknownKeys(known)
        return container
    }
}
