import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@JSONSchema`: a `JSONSchemaRepresentable` conformance whose `jsonSchema` is built from the declaration.
struct JSONSchemaMacro: ExtensionMacro {
    static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let schema: String
        if let structure = declaration.as(StructDeclSyntax.self) {
            schema = try ObjectSchema(structure).expression
        } else if let enumeration = declaration.as(EnumDeclSyntax.self) {
            schema = try StringEnumSchema(enumeration).expression
        } else {
            throw SchemaDiagnostic.unsupportedDeclaration.error(at: declaration)
        }
        let access =
            declaration.modifiers.first { ["public", "package"].contains($0.name.text) }.map { "\($0.name.text) " }
            ?? ""
        let conformance = protocols.isEmpty ? "" : ": JSONSchemaRepresentable"
        let extensionDecl: DeclSyntax = """
            extension \(type.trimmed)\(raw: conformance) {
                \(raw: access)static var jsonSchema: JSONValue {
                    \(raw: schema)
                }
            }
            """
        return [extensionDecl.cast(ExtensionDeclSyntax.self)]
    }
}
