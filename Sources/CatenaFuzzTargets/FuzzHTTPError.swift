import CatenaOpenAI
import Foundation

/// Reads the first line of arbitrary bytes as a `Retry-After` value and the rest as an error body.
enum FuzzHTTPError {
    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        if let wait = ModelServerError.retryAfter(header) {
            precondition(wait >= .zero && wait <= .seconds(86_400), "Retry-After \(header) read as \(wait)")
        }
        _ = ServerErrorBody(bytes[newline...]).message
    }
}
