/// A type whose values are described by a JSON schema: tool arguments, structured answers.
///
/// Write `@JSONSchema` (from `CatenaMacros`) on a struct or a `String` enum to derive the schema from its
/// declaration; the standard scalar, array, dictionary and optional types conform here.
///
/// ```swift
/// /// A city's weather request.
/// @JSONSchema struct WeatherQuery: Decodable {
///     /// The city, in English.
///     var city: String
///     var days: Int?
/// }
/// // WeatherQuery.jsonSchema: {"type": "object", "description": "A city's weather request.",
/// //   "properties": {"city": {"type": "string", "description": "The city, in English."},
/// //                  "days": {"type": "integer"}},
/// //   "required": ["city"], "additionalProperties": false}
/// ```
public protocol JSONSchemaRepresentable {
    /// The JSON schema of the type's values.
    static var jsonSchema: JSONValue { get }
}

extension JSONValue {
    /// `type`'s schema, with `description` added when there is one: a property of a derived schema.
    public static func schema<T: JSONSchemaRepresentable>(of type: T.Type, description: String? = nil) -> JSONValue {
        guard let description, case .object(var members) = T.jsonSchema else { return T.jsonSchema }
        members["description"] = .string(description)
        return .object(members)
    }
}

extension String: JSONSchemaRepresentable {
    /// `{"type": "string"}`.
    public static var jsonSchema: JSONValue { ["type": "string"] }
}

extension Bool: JSONSchemaRepresentable {
    /// `{"type": "boolean"}`.
    public static var jsonSchema: JSONValue { ["type": "boolean"] }
}

extension Double: JSONSchemaRepresentable {
    /// `{"type": "number"}`.
    public static var jsonSchema: JSONValue { ["type": "number"] }
}

extension Float: JSONSchemaRepresentable {
    /// `{"type": "number"}`.
    public static var jsonSchema: JSONValue { ["type": "number"] }
}

extension JSONSchemaRepresentable where Self: FixedWidthInteger {
    /// `{"type": "integer"}`, with the type's bounds when they are narrower than JSON's safe integers.
    public static var jsonSchema: JSONValue {
        var schema: [String: JSONValue] = ["type": "integer"]
        if let minimum = Int(exactly: Self.min), minimum > -(1 << 53) { schema["minimum"] = .int(minimum) }
        if let maximum = Int(exactly: Self.max), maximum < 1 << 53 { schema["maximum"] = .int(maximum) }
        return .object(schema)
    }
}

extension Int: JSONSchemaRepresentable {}
extension Int8: JSONSchemaRepresentable {}
extension Int16: JSONSchemaRepresentable {}
extension Int32: JSONSchemaRepresentable {}
extension Int64: JSONSchemaRepresentable {}
extension UInt: JSONSchemaRepresentable {}
extension UInt8: JSONSchemaRepresentable {}
extension UInt16: JSONSchemaRepresentable {}
extension UInt32: JSONSchemaRepresentable {}
extension UInt64: JSONSchemaRepresentable {}

extension Array: JSONSchemaRepresentable where Element: JSONSchemaRepresentable {
    /// `{"type": "array", "items": <the element's schema>}`.
    public static var jsonSchema: JSONValue { ["type": "array", "items": Element.jsonSchema] }
}

extension Dictionary: JSONSchemaRepresentable where Key == String, Value: JSONSchemaRepresentable {
    /// `{"type": "object", "additionalProperties": <the value's schema>}`.
    public static var jsonSchema: JSONValue { ["type": "object", "additionalProperties": Value.jsonSchema] }
}

extension Optional: JSONSchemaRepresentable where Wrapped: JSONSchemaRepresentable {
    /// The wrapped type's schema, or `null`. (A derived schema leaves an optional property out of `required`
    /// instead.)
    public static var jsonSchema: JSONValue { ["anyOf": [Wrapped.jsonSchema, ["type": "null"]]] }
}
