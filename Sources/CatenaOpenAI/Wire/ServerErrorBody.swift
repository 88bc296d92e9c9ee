public import Catena
import Foundation

/// The explanation in an error body, whichever shape the server uses: OpenAI's `{"error": {"message": …}}`,
/// vLLM's older flat `{"object": "error", "message": …}`, OCI's `{"code": …, "message": …}`, or a bare string.
public struct ServerErrorBody: Sendable, Hashable {
    /// The server's message.
    public var message: String
    /// The error type or code, when given.
    public var code: String?

    /// Reads an error body; anything that is not one of the known shapes is kept as text.
    public init(_ body: some Collection<UInt8>) {
        let text = String(decoding: body, as: UTF8.self)
        guard let json = try? JSONValue(parsing: Array(body)) else {
            self.init(message: text.isEmpty ? "(empty body)" : text, code: nil)
            return
        }
        self.init(json: json, fallback: text)
    }

    /// Reads an error object already parsed as JSON.
    public init(json: JSONValue, fallback: String) {
        let object = json["error"]?.objectValue != nil ? json["error"]! : json
        if let text = json["error"]?.stringValue {
            self.init(message: text, code: nil)
            return
        }
        let code =
            object["code"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? object["type"]?.stringValue
        self.init(message: object["message"]?.stringValue ?? object["detail"]?.stringValue ?? fallback, code: code)
    }

    /// Creates an error body.
    public init(message: String, code: String?) {
        self.message = message
        self.code = code
    }
}
