/// One piece of a parsed template.
enum TemplateSegment: Sendable, Hashable {
    case literal(String)
    case variable(String)
}

/// Parses `{name}` templates: `{{` and `}}` stand for literal braces.
enum TemplateParser {
    /// The segments of `template`.
    /// - Throws: ``CatenaError`` with code `invalidTemplate` for an unclosed `{`, a lone `}` or an empty `{}`.
    static func parse(_ template: String) throws(CatenaError) -> [TemplateSegment] {
        var segments: [TemplateSegment] = []
        var literal = ""
        var index = template.startIndex
        func fail(_ reason: String) -> CatenaError {
            let offset = template.distance(from: template.startIndex, to: index)
            return CatenaError(
                .invalidTemplate,
                "\(reason) at offset \(offset) in template \"\(template)\"; write {{ or }} for a literal brace")
        }
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" {
                if next < template.endIndex, template[next] == "{" {
                    literal.append("{")
                    index = template.index(after: next)
                    continue
                }
                guard let close = template[next...].firstIndex(of: "}") else { throw fail("unclosed '{'") }
                let name = template[next..<close].trimmingWhitespace()
                guard !name.isEmpty else { throw fail("empty variable name '{}'") }
                guard !name.contains("{") else { throw fail("'{' inside a variable name") }
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(.variable(name))
                index = template.index(after: close)
            } else if character == "}" {
                guard next < template.endIndex, template[next] == "}" else { throw fail("lone '}'") }
                literal.append("}")
                index = template.index(after: next)
            } else {
                literal.append(character)
                index = next
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }

    /// The variable names of `segments`, in order of first use.
    static func variables(in segments: [TemplateSegment]) -> [String] {
        var names: [String] = []
        for case .variable(let name) in segments where !names.contains(name) { names.append(name) }
        return names
    }

    /// `segments` with the variables substituted from `values`.
    /// - Throws: ``CatenaError`` with code `missingVariable` naming the first variable not in `values`.
    static func format(_ segments: [TemplateSegment], with values: [String: PromptValue]) throws -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                output += text
            case .variable(let name):
                guard let value = values[name] else {
                    throw CatenaError(
                        .missingVariable,
                        "missing variable '\(name)'; the template needs \(variables(in: segments)) and got \(values.keys.sorted())"
                    )
                }
                output += value.string
            }
        }
        return output
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
