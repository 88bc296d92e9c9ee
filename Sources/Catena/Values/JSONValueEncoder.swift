import Foundation

/// Encodes an `Encodable` value into a ``JSONValue`` without going through JSON text: with ``JSONValue``'s own
/// writer it is how Catena writes JSON, as ``JSONValueDecoder`` and ``JSONParser`` are how it reads it. It encodes
/// as `JSONEncoder` does with its default strategies: `Data` as base64, `URL` as its absolute string, `Decimal` as a
/// number, `Date` through its own encoding (seconds since 2001); a non-finite number is an error.
package struct JSONValueEncoder {
    /// How dates are written.
    package enum DateEncoding: Sendable {
        /// As `Date` encodes itself: seconds since 2001 (`JSONEncoder`'s default).
        case secondsSince2001
        /// As ISO 8601 text with fractional seconds (`2026-12-06T09:30:00.123Z`).
        case iso8601
    }

    /// How dates are written.
    let dates: DateEncoding

    /// An encoder writing dates as `dates` says.
    package init(dates: DateEncoding = .secondsSince2001) {
        self.dates = dates
    }

    /// The JSON value of `value`.
    /// - Throws: `EncodingError.invalidValue` for a non-finite number, or a value that encodes nothing.
    package func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodedNode(dates: dates)
        try root.encode(value, path: [])
        guard let encoded = root.value else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "\(T.self) did not encode any value."))
        }
        return encoded
    }
}

/// A value being encoded: empty, one value, or an object or array whose members are still being encoded.
private final class EncodedNode {
    private enum Content {
        case empty
        case value(JSONValue)
        case object([(String, EncodedNode)])
        case array([EncodedNode])
    }

    private var content = Content.empty
    /// How dates are written, here and below.
    private let dates: JSONValueEncoder.DateEncoding

    init(dates: JSONValueEncoder.DateEncoding) {
        self.dates = dates
    }

    /// The value encoded so far (`nil`: nothing yet).
    var value: JSONValue? {
        switch content {
        case .empty: nil
        case .value(let value): value
        // A member or element that encoded nothing is an empty object, as `JSONEncoder` writes it.
        case .object(let members):
            .object(Dictionary(members.map { name, node in (name, node.value ?? .object([:])) }) { _, last in last })
        case .array(let elements): .array(elements.map { $0.value ?? .object([:]) })
        }
    }

    /// Sets the value.
    func set(_ value: JSONValue) { content = .value(value) }

    /// Encodes `value` here, Foundation's special cases as `JSONEncoder` writes them.
    func encode<T: Encodable>(_ value: T, path: [any CodingKey]) throws {
        switch value {
        case let value as JSONValue:
            guard value.isFinite else { throw Self.nonFinite(value, path: path) }
            set(value)
        case let data as Data: set(.string(data.base64EncodedString()))
        case let url as URL: set(.string(url.absoluteString))
        case let date as Date where dates == .iso8601:
            set(.string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))))
        case let decimal as Decimal: set(try Self.number(Double(truncating: decimal as NSNumber), path: path))
        default: try value.encode(to: NodeEncoder(node: self, codingPath: path))
        }
    }

    /// A finite number.
    static func number(_ double: Double, path: [any CodingKey]) throws -> JSONValue {
        guard double.isFinite else { throw nonFinite(double, path: path) }
        return .double(double)
    }

    /// The error for a value holding a number JSON cannot write.
    private static func nonFinite(_ value: Any, path: [any CodingKey]) -> EncodingError {
        .invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
    }

    /// The member `name` of this object (made an object if it is empty), a new node.
    func member(_ name: String) -> EncodedNode {
        let node = EncodedNode(dates: dates)
        if case .object(var members) = content {
            content = .empty  // no second reference while the members change
            members.append((name, node))
            content = .object(members)
        } else {
            content = .object([(name, node)])
        }
        return node
    }

    /// A new element at the end of this array (made an array if it is empty).
    func element() -> EncodedNode {
        let node = EncodedNode(dates: dates)
        if case .array(var elements) = content {
            content = .empty
            elements.append(node)
            content = .array(elements)
        } else {
            content = .array([node])
        }
        return node
    }

    /// Makes this node an empty object, unless it is one.
    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    /// Makes this node an empty array, unless it is one.
    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// How many elements this array has.
    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

/// The encoder of one node; it is also its own single-value container.
private struct NodeEncoder: Encoder, SingleValueEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { node.set(.null) }
    func encode(_ value: Bool) { node.set(.bool(value)) }
    func encode(_ value: String) { node.set(.string(value)) }
    func encode(_ value: Double) throws { node.set(try EncodedNode.number(value, path: codingPath)) }
    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) { node.set(.int(value)) }
    func encode(_ value: Int8) { node.set(.int(Int(value))) }
    func encode(_ value: Int16) { node.set(.int(Int(value))) }
    func encode(_ value: Int32) { node.set(.int(Int(value))) }
    func encode(_ value: Int64) { node.set(.int(Int(value))) }
    func encode(_ value: UInt) { node.set(Self.unsigned(UInt64(value))) }
    func encode(_ value: UInt8) { node.set(.int(Int(value))) }
    func encode(_ value: UInt16) { node.set(.int(Int(value))) }
    func encode(_ value: UInt32) { node.set(.int(Int(value))) }
    func encode(_ value: UInt64) { node.set(Self.unsigned(value)) }
    func encode<T: Encodable>(_ value: T) throws { try node.encode(value, path: codingPath) }

    /// An unsigned integer: exact while it fits in `Int`, else the nearest `Double`.
    static func unsigned(_ value: UInt64) -> JSONValue {
        Int(exactly: value).map(JSONValue.int) ?? .double(Double(value))
    }
}

/// The members of an object being encoded.
private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    /// The encoder of the member `key`.
    private func member(_ key: any CodingKey) -> NodeEncoder {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) { member(key).encodeNil() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key).encode(value) }
    mutating func encode(_ value: Bool, forKey key: Key) { member(key).encode(value) }
    mutating func encode(_ value: String, forKey key: Key) { member(key).encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try member(key).encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) { member(key).encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        member(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { member(JSONKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { member(key) }
}

/// The elements of an array being encoded.
private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    /// The encoder of a new last element.
    private func next() -> NodeEncoder {
        let index = node.count
        return NodeEncoder(node: node.element(), codingPath: codingPath + [JSONKey(index: index)])
    }

    mutating func encodeNil() { next().encodeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encode(value) }
    mutating func encode(_ value: Bool) { next().encode(value) }
    mutating func encode(_ value: String) { next().encode(value) }
    mutating func encode(_ value: Double) throws { try next().encode(value) }
    mutating func encode(_ value: Int) { next().encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}

extension JSONValue {
    /// Whether every number in this value is finite (JSON has no form for the others).
    fileprivate var isFinite: Bool {
        switch self {
        case .double(let value): value.isFinite
        case .array(let elements): elements.allSatisfy(\.isFinite)
        case .object(let members): members.values.allSatisfy(\.isFinite)
        default: true
        }
    }
}
