import SwiftParser
import SwiftSyntax

/// A `String` enum's schema: a string, one of the raw values.
struct StringEnumSchema {
    let description: String?
    let values: [String]

    init(_ enumeration: EnumDeclSyntax) throws {
        let inherited = enumeration.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
        guard inherited.contains("String") else {
            throw SchemaDiagnostic.enumWithoutStringRawValues.error(at: enumeration.name)
        }
        for member in enumeration.memberBlock.members {
            for element in member.decl.as(EnumCaseDeclSyntax.self)?.elements ?? [] where element.parameterClause != nil
            {
                throw SchemaDiagnostic.enumCaseWithAssociatedValues.error(at: element)
            }
        }
        description = enumeration.docComment
        values = Self.rawValues(of: enumeration.memberBlock).map(\.rawValue)
    }

    /// The Swift expression building the schema.
    var expression: String {
        var schema = [#""type": "string""#, #""enum": .array([\#(values.map(literal).joined(separator: ", "))])"#]
        if let description { schema.append(#""description": \#(literal(description))"#) }
        return "JSONValue.object([\(schema.joined(separator: ", "))])"
    }

    /// Each case's name and raw value (its name unless a string literal is given).
    static func rawValues(of members: MemberBlockSyntax) -> [(name: String, rawValue: String)] {
        members.members.flatMap { member in
            (member.decl.as(EnumCaseDeclSyntax.self)?.elements ?? []).map { element in
                let name = element.name.trimmed.text
                let literal = element.rawValue?.value.as(StringLiteralExprSyntax.self)
                return (name, literal?.representedLiteralValue ?? name)
            }
        }
    }
}
