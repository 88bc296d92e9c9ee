/// The members of a parsed JSON object, read by hand-written decoders of hot wire types (a model server's
/// completions and stream chunks) that cannot afford `Codable`'s per-member overhead.
///
/// A missing member and a `null` one both read as `nil`, as `decodeIfPresent` does. A member of the wrong type
/// throws the `DecodingError` `JSONDecoder` would, with the member's coding path (built only when an error is thrown).
package struct JSONFields {
    private let members: [String: JSONValue]

    /// The members of `value`; anything but an object is a type mismatch.
    package init(_ value: JSONValue) throws {
        guard case .object(let members) = value else { throw DecodingError.mismatch([String: JSONValue].self, found: value) }
        self.members = members
    }

    /// The member `key` as is (`nil` when missing or null).
    package func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// The member `key` converted by `read`, whose errors are reported under `key`.
    package func read<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T? {
        guard let value = value(key) else { return nil }
        return try JSONFields.under(JSONKey(key)) { try read(value) }
    }

    /// The member `key`, which must be present and not null.
    package func required<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T {
        guard let value = try self.read(key, read) else {
            throw DecodingError.keyNotFound(JSONKey(key), .init(codingPath: [], debugDescription: "No value for key \"\(key)\"."))
        }
        return value
    }

    /// The string member `key`.
    package func string(_ key: String) throws -> String? { try read(key, JSONFields.string) }

    /// The integer member `key`.
    package func int(_ key: String) throws -> Int? { try read(key, JSONFields.int) }

    /// The array member `key`, each element converted by `element` (its errors reported under its index).
    package func array<T>(_ key: String, _ element: (JSONValue) throws -> T) throws -> [T]? {
        try read(key) { try JSONFields.array($0, element) }
    }

    /// `value` as an array, each element converted by `element` (its errors reported under its index).
    package static func array<T>(_ value: JSONValue, _ element: (JSONValue) throws -> T) throws -> [T] {
        guard case .array(let elements) = value else { throw DecodingError.mismatch([JSONValue].self, found: value) }
        return try elements.enumerated().map { index, item in
            try under(JSONKey(index: index)) { try element(item) }
        }
    }

    /// `value` as a string.
    package static func string(_ value: JSONValue) throws -> String {
        guard case .string(let string) = value else { throw DecodingError.mismatch(String.self, found: value) }
        return string
    }

    /// `value` as an integer (an integral number).
    package static func int(_ value: JSONValue) throws -> Int {
        guard let integer = value.intValue else { throw DecodingError.mismatch(Int.self, found: value) }
        return integer
    }

    /// Runs `read`, prefixing `key` to the coding path of a `DecodingError` it throws.
    private static func under<T>(_ key: JSONKey, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as DecodingError {
            throw error.prefixed(with: key)
        }
    }

}

/// A member name or array index as a coding key.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(stringValue: String) { self.init(stringValue) }
    init(intValue: Int) { self.init(index: intValue) }
}

extension DecodingError {
    /// `value` found where a `type` was expected: `valueNotFound` for null, otherwise `typeMismatch` naming what was
    /// found (scalars as their JSON text), as `JSONDecoder` reports it.
    static func mismatch(_ type: Any.Type, found value: JSONValue, codingPath: [any CodingKey] = []) -> DecodingError {
        let context = { (found: String) in
            Context(codingPath: codingPath, debugDescription: "Expected \(type) but found \(found).")
        }
        return switch value {
        case .null: .valueNotFound(type, context("null"))
        case .array: .typeMismatch(type, context("an array"))
        case .object: .typeMismatch(type, context("an object"))
        default: .typeMismatch(type, context(value.jsonString))
        }
    }

    /// The same error one level further out: `key` prepended to its coding path.
    func prefixed(with key: some CodingKey) -> DecodingError {
        func moved(_ context: Context) -> Context {
            Context(codingPath: [key] + context.codingPath, debugDescription: context.debugDescription,
                    underlyingError: context.underlyingError)
        }
        return switch self {
        case .typeMismatch(let type, let context): .typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): .valueNotFound(type, moved(context))
        case .keyNotFound(let missing, let context): .keyNotFound(missing, moved(context))
        case .dataCorrupted(let context): .dataCorrupted(moved(context))
        @unknown default: self
        }
    }
}
