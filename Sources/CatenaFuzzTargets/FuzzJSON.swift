import Catena

/// Parses arbitrary bytes as JSON; a value that parses must serialize and parse back to the same value (numbers
/// compared by value: an integral double is written without a fraction and reads back as an integer).
enum FuzzJSON {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONValue(parsing: bytes) else { return }
        guard let again = try? JSONValue(parsing: value.serializedBytes), same(again, value) else {
            preconditionFailure("\(value) does not survive serialization")
        }
    }

    private static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count
                && left.allSatisfy { key, value in right[key].map { same(value, $0) } ?? false }
        default:
            if let left = left.doubleValue, let right = right.doubleValue { return left == right }
            return left == right
        }
    }
}
