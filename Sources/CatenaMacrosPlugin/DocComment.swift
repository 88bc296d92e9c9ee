import SwiftSyntax

extension SyntaxProtocol {
    /// The doc comment (`///` lines or a `/** */` block) before this declaration, as one paragraph; `nil` when
    /// there is none.
    var docComment: String? {
        var lines: [String] = []
        for piece in leadingTrivia {
            switch piece {
            case .docLineComment(let text):
                lines.append(String(text.dropFirst(3)))
            case .docBlockComment(let text):
                lines += text.dropFirst(3).dropLast(2).split(separator: "\n").map { line in
                    String(line.drop { $0 == " " || $0 == "*" })
                }
            default:
                continue
            }
        }
        let words = lines.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}

extension String {
    /// The text without spaces and tabs at either end.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
