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
    package static func mismatch(_ type: Any.Type, found value: JSONValue, codingPath: [any CodingKey] = [])
        -> DecodingError
    {
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
            Context(
                codingPath: [key] + context.codingPath, debugDescription: context.debugDescription,
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

extension DecodingError {
    /// The error for a required member `name` that is missing (or null), as `JSONDecoder` reports it.
    package static func missingMember(_ name: String) -> DecodingError {
        .keyNotFound(JSONKey(name), .init(codingPath: [], debugDescription: "No value for key \"\(name)\"."))
    }
}

extension DecodingError {
    /// Where and what: `usage.prompt_tokens: Expected a count (not negative) but found -1.`, with array indexes as
    /// `choices[0]`; the place is left out at the top level.
    package var summary: String {
        let context: Context? =
            switch self {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
                .dataCorrupted(let context):
                context
            @unknown default: nil
            }
        guard let context else { return "\(self)" }
        var path = ""
        for key in context.codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }
}
