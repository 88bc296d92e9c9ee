package import Catena

extension JSONValue {
    /// The token count under `key` of this object (0 when absent or `null`).
    /// - Throws: ``ModelServerError/decoding(payload:reason:)`` for a count that is negative or not an integer.
    package func tokenCount(_ key: String) throws -> Int {
        guard let value = self[key], value != .null else { return 0 }
        guard let count = value.intValue, count >= 0 else {
            throw ModelServerError.decoding(
                payload: jsonString, reason: "\(key): expected a count, found \(value.jsonString)")
        }
        return count
    }
}
