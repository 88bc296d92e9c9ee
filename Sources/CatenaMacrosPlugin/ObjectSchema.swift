import SwiftSyntax
import SwiftSyntaxBuilder

/// A struct's schema: an object with a property per stored property.
struct ObjectSchema {
    /// A stored property: its JSON name, its type without the optional, whether it may be left out, its doc.
    struct Property {
        let name: String
        let type: TypeSyntax
        let optional: Bool
        let description: String?
    }

    let description: String?
    let properties: [Property]

    init(_ structure: StructDeclSyntax) throws {
        description = structure.docComment
        let keys = Self.codingKeys(in: structure.memberBlock)
        var properties: [Property] = []
        for member in structure.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self), Self.isDecoded(variable) else { continue }
            for binding in variable.bindings {
                guard let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.trimmed.text else {
                    continue
                }
                if let keys, keys[name] == nil { continue }
                guard let annotated = binding.typeAnnotation?.type else {
                    throw SchemaDiagnostic.propertyWithoutType.error(at: binding)
                }
                let (type, optional) = Self.unwrappingOptional(annotated)
                properties.append(
                    Property(
                        name: keys?[name] ?? name, type: type, optional: optional, description: variable.docComment))
            }
        }
        self.properties = properties
    }

    /// The Swift expression building the schema.
    var expression: String {
        let required = properties.filter { !$0.optional }.map { literal($0.name) }
        let members = properties.map { property in
            let description = property.description.map { ", description: \(literal($0))" } ?? ""
            return "\(literal(property.name)): .schema(of: \(property.type.trimmed).self\(description))"
        }
        var schema = [
            #""type": "object""#,
            #""properties": .object(\#(members.isEmpty ? "[:]" : "[\(members.joined(separator: ", "))]"))"#,
            #""required": .array([\#(required.joined(separator: ", "))])"#,
            #""additionalProperties": false"#,
        ]
        if let description { schema.append(#""description": \#(literal(description))"#) }
        return "JSONValue.object([\(schema.joined(separator: ", "))])"
    }

    /// Whether synthesized `Decodable` reads the property: stored, not static, not a `let` with a value.
    private static func isDecoded(_ variable: VariableDeclSyntax) -> Bool {
        if variable.modifiers.contains(where: { ["static", "class"].contains($0.name.text) }) { return false }
        return variable.bindings.allSatisfy { binding in
            if variable.bindingSpecifier.tokenKind == .keyword(.let), binding.initializer != nil { return false }
            guard let accessors = binding.accessorBlock?.accessors else { return true }
            guard case .accessors(let list) = accessors else { return false }
            return list.allSatisfy { [.keyword(.willSet), .keyword(.didSet)].contains($0.accessorSpecifier.tokenKind) }
        }
    }

    /// `T?` or `Optional<T>` as `T` and `true`; any other type as itself and `false`.
    private static func unwrappingOptional(_ type: TypeSyntax) -> (TypeSyntax, Bool) {
        if let optional = type.as(OptionalTypeSyntax.self) { return (optional.wrappedType, true) }
        if let optional = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return (optional.wrappedType, true) }
        if let generic = type.as(IdentifierTypeSyntax.self), generic.name.text == "Optional",
            let wrapped = generic.genericArgumentClause?.arguments.first?.argument.as(TypeSyntax.self)
        {
            return (wrapped, true)
        }
        return (type, false)
    }

    /// The JSON names a nested `CodingKeys` enum gives the properties, or `nil` when there is none.
    private static func codingKeys(in members: MemberBlockSyntax) -> [String: String]? {
        let keys = members.members.lazy.compactMap { $0.decl.as(EnumDeclSyntax.self) }
            .first { $0.name.text == "CodingKeys" }
        guard let keys else { return nil }
        return StringEnumSchema.rawValues(of: keys.memberBlock).reduce(into: [:]) { names, entry in
            names[entry.name] = entry.rawValue
        }
    }
}

/// `text` as a Swift string literal.
func literal(_ text: String) -> String {
    StringLiteralExprSyntax(content: text).description
}
