/// The members of a parsed JSON object, read by hand-written decoders of hot wire types (a model server's
/// completions and stream chunks) that cannot afford `Codable`'s per-member overhead.
///
/// A missing member and a `null` one both read as `nil`, as `decodeIfPresent` does. A member of the wrong type
/// throws the `DecodingError` `JSONDecoder` would, with the member's coding path (built only when an error is thrown).
@frozen package struct JSONFields {
    @usableFromInline let members: [String: JSONValue]

    /// The members of `value`; anything but an object is a type mismatch.
    package init(_ value: JSONValue) throws {
        guard case .object(let members) = value else { throw JSONFields.mismatch([String: JSONValue].self, value) }
        self.members = members
    }

    /// The member `key` as is (`nil` when missing or null).
    @inlinable package func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// The member `key` converted by `read`, whose errors are reported under `key`.
    @inlinable package func read<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T? {
        guard let value = value(key) else { return nil }
        return try JSONFields.under(JSONKey(key)) { try read(value) }
    }

    /// The member `key`, which must be present and not null.
    @inlinable package func required<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T {
        guard let value = try self.read(key, read) else {
            throw DecodingError.keyNotFound(JSONKey(key), .init(codingPath: [], debugDescription: "No value for key \"\(key)\"."))
        }
        return value
    }

    /// The string member `key`.
    @inlinable package func string(_ key: String) throws -> String? { try read(key, JSONFields.string) }

    /// The integer member `key`.
    @inlinable package func int(_ key: String) throws -> Int? { try read(key, JSONFields.int) }

    /// The array member `key`, each element converted by `element` (its errors reported under its index).
    @inlinable package func array<T>(_ key: String, _ element: (JSONValue) throws -> T) throws -> [T]? {
        try read(key) { try JSONFields.array($0, element) }
    }

    /// `value` as an array, each element converted by `element` (its errors reported under its index).
    @inlinable package static func array<T>(_ value: JSONValue, _ element: (JSONValue) throws -> T) throws -> [T] {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value) }
        return try elements.enumerated().map { index, item in
            try under(JSONKey(index: index)) { try element(item) }
        }
    }

    /// `value` as a string.
    @inlinable package static func string(_ value: JSONValue) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, value) }
        return string
    }

    /// `value` as an integer (an integral number).
    @inlinable package static func int(_ value: JSONValue) throws -> Int {
        guard let integer = value.intValue else { throw mismatch(Int.self, value) }
        return integer
    }

    /// Runs `read`, prefixing `key` to the coding path of a `DecodingError` it throws.
    @inlinable static func under<T>(_ key: JSONKey, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as DecodingError {
            throw error.prefixed(with: key)
        }
    }

    @usableFromInline static func mismatch(_ type: Any.Type, _ value: JSONValue) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "Expected \(type) but found \(value.jsonString)."))
    }
}

/// A member name or array index as a coding key.
@usableFromInline struct JSONKey: CodingKey {
    @usableFromInline let stringValue: String
    @usableFromInline let intValue: Int?

    @usableFromInline init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    @usableFromInline init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    @usableFromInline init(stringValue: String) { self.init(stringValue) }
    @usableFromInline init(intValue: Int) { self.init(index: intValue) }
}

extension DecodingError {
    /// The same error one level further out: `key` prepended to its coding path.
    @usableFromInline func prefixed(with key: some CodingKey) -> DecodingError {
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
