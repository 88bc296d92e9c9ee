/// A value that passed through a run (an input, output or stream chunk), as handlers receive it.
///
/// The value keeps its Swift type, so a handler that knows the type reads it without conversion; `json` converts
/// on demand (only when a handler asks), keeping the hot path free of serialization.
public struct RunValue: Sendable {
    /// The value itself.
    public let value: any Sendable

    /// Wraps a value.
    public init(_ value: any Sendable) {
        self.value = value
    }

    /// The value when it is of type `T`.
    public func `as`<T>(_ type: T.Type) -> T? { value as? T }

    /// The value as JSON: `JSONValue` as is, `Encodable` values through their encoding, anything else as its
    /// description string.
    public var json: JSONValue {
        switch value {
        case let json as JSONValue: json
        case let text as String: .string(text)
        case let encodable as any Encodable: (try? JSONValue(encoding: encodable)) ?? .string(String(describing: value))
        default: .string(String(describing: value))
        }
    }

    /// The value as text: strings as they are, messages and generations by their text, anything else as JSON.
    public var text: String {
        switch value {
        case let text as String: text
        case let message as Message: message.text
        case let generation as Generation: generation.text
        default: json.jsonString
        }
    }
}

extension RunValue: CustomStringConvertible {
    /// The value as compact JSON.
    public var description: String { json.jsonString }
}
