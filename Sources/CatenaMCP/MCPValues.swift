import Catena
import Foundation
import MCP

/// Conversions between Catena's ``JSONValue`` and the SDK's `Value`.
enum MCPValues {
    /// A tool's arguments as the SDK sends them.
    /// - Throws: ``CatenaError`` (`invalidInput`) when `arguments` is not a JSON object.
    static func arguments(_ arguments: JSONValue) throws -> [String: Value] {
        switch arguments {
        case .object(let members): members.mapValues(value)
        case .null: [:]
        default: throw CatenaError(.invalidInput, "a tool's arguments must be a JSON object, not \(arguments)")
        }
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let bool): .bool(bool)
        case .int(let int): .int(int)
        case .double(let double): .double(double)
        case .string(let string): .string(string)
        case .array(let items): .array(items.map(value))
        case .object(let members): .object(members.mapValues(value))
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let bool): .bool(bool)
        case .int(let int): .int(int)
        case .double(let double): .double(double)
        case .string(let string): .string(string)
        case .data(let mimeType, let data):
            .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): .array(items.map(json))
        case .object(let members): .object(members.mapValues(json))
        }
    }
}
