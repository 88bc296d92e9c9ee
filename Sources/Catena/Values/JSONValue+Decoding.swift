extension JSONValue {
    /// Decodes any value from a decoder that cannot say which kind of value it holds (Foundation's `JSONDecoder`),
    /// by trying the kinds in turn.
    ///
    /// A failed try costs such a decoder an error that carries the whole coding path, so trying every case at
    /// every level (the usual way) is quadratic in the nesting depth: about a second for a value nested 470 deep.
    /// Here containers come before scalars, and each container's children try first the kind the nesting so far
    /// predicts: the container's own kind, or its parent's when the two alternate. Values nested uniformly or
    /// alternately need no failed try per level.
    /// - Parameter parentIsArray: The kind of the container holding this value; `nil` at the top.
    init(decoding decoder: any Decoder, arraysFirst: Bool, parentIsArray: Bool?) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if arraysFirst, let array = try? decoder.unkeyedContainer() {
            self = .array(try Self.elements(of: array, parentIsArray: parentIsArray))
        } else if let object = try? decoder.container(keyedBy: JSONKey.self) {
            self = .object(try Self.members(of: object, parentIsArray: parentIsArray))
        } else if !arraysFirst, let array = try? decoder.unkeyedContainer() {
            self = .array(try Self.elements(of: array, parentIsArray: parentIsArray))
        } else {
            self = try Self(scalarFrom: single)
        }
    }

    /// Whether the children of an array (`isArray`) or object under a parent of `parentIsArray` are tried as arrays
    /// first: like their container, unless it alternates with its parent.
    private static func childrenArraysFirst(isArray: Bool, parentIsArray: Bool?) -> Bool {
        guard let parentIsArray, parentIsArray != isArray else { return isArray }
        return parentIsArray
    }

    private static func members(of object: KeyedDecodingContainer<JSONKey>, parentIsArray: Bool?) throws -> [String:
        JSONValue]
    {
        func decode<Guess: ContainerKind>(_ guess: Guess.Type) throws -> [String: JSONValue] {
            var members = [String: JSONValue](minimumCapacity: object.allKeys.count)
            for key in object.allKeys {
                members[key.stringValue] = try object.decode(Nested<Guess, ObjectKind>.self, forKey: key).value
            }
            return members
        }
        let arraysFirst = childrenArraysFirst(isArray: false, parentIsArray: parentIsArray)
        return arraysFirst ? try decode(ArrayKind.self) : try decode(ObjectKind.self)
    }

    private static func elements(of array: any UnkeyedDecodingContainer, parentIsArray: Bool?) throws -> [JSONValue] {
        func decode<Guess: ContainerKind>(_ guess: Guess.Type) throws -> [JSONValue] {
            var array = array
            var elements: [JSONValue] = []
            elements.reserveCapacity(array.count ?? 0)
            while !array.isAtEnd { elements.append(try array.decode(Nested<Guess, ArrayKind>.self).value) }
            return elements
        }
        let arraysFirst = childrenArraysFirst(isArray: true, parentIsArray: parentIsArray)
        return arraysFirst ? try decode(ArrayKind.self) : try decode(ObjectKind.self)
    }

    /// A scalar other than null: Boolean, integer, other number or string.
    private init(scalarFrom container: any SingleValueDecodingContainer) throws {
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// A kind of container, as a type, so the order in which a nested value is tried travels in the type it is decoded as.
private protocol ContainerKind { static var isArray: Bool { get } }
private enum ArrayKind: ContainerKind { static var isArray: Bool { true } }
private enum ObjectKind: ContainerKind { static var isArray: Bool { false } }

/// A value nested in a `Parent`, tried as a `Guess` first (see ``JSONValue/init(decoding:arraysFirst:parentIsArray:)``).
private struct Nested<Guess: ContainerKind, Parent: ContainerKind>: Decodable {
    let value: JSONValue

    init(from decoder: any Decoder) throws {
        value = try JSONValue(decoding: decoder, arraysFirst: Guess.isArray, parentIsArray: Parent.isArray)
    }
}
