import Foundation

/// Parses JSON text that may be cut off, as it is while a model streams it: open strings, arrays and objects
/// are closed, and a trailing incomplete member is dropped.
enum PartialJSON {
    /// The value `text` parses to once completed, or `nil` while nothing parseable has arrived.
    static func parse(_ text: String) -> JSONValue? {
        var candidate = Substring(text)
        while !candidate.isEmpty {
            if let value = try? JSONValue(parsing: completed(candidate)) { return value }
            candidate = candidate.dropLast()
        }
        return nil
    }

    /// `text` with its open string and brackets closed.
    static func completed(_ text: Substring) -> String {
        var closers: [Character] = []
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{": closers.append("}")
            case "[": closers.append("]")
            case "}", "]": if !closers.isEmpty { closers.removeLast() }
            default: break
            }
        }
        var result = String(text)
        if inString {
            if escaped { result.removeLast() }
            result.append("\"")
        }
        result.append(contentsOf: closers.reversed())
        return result
    }

    /// The JSON inside a Markdown code fence (```json … ```), or the trimmed text when there is none.
    static func unfenced(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("```") else { return trimmed }
        var body = trimmed.drop(while: { $0 != "\n" }).dropFirst()
        if let fence = body.range(of: "```", options: .backwards) { body = body[..<fence.lowerBound] }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
