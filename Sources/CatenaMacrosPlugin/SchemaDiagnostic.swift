import SwiftDiagnostics
import SwiftSyntax

/// What `@JSONSchema` cannot derive a schema from.
enum SchemaDiagnostic: String, DiagnosticMessage {
    case unsupportedDeclaration
    case enumWithoutStringRawValues
    case enumCaseWithAssociatedValues
    case propertyWithoutType

    var message: String {
        switch self {
        case .unsupportedDeclaration:
            "@JSONSchema applies to a struct or to an enum with String raw values"
        case .enumWithoutStringRawValues:
            "@JSONSchema on an enum needs String raw values (enum Unit: String { case celsius, fahrenheit })"
        case .enumCaseWithAssociatedValues:
            "@JSONSchema cannot describe an enum case with associated values"
        case .propertyWithoutType:
            "@JSONSchema needs each stored property's type written out (var days: Int)"
        }
    }

    var diagnosticID: MessageID { MessageID(domain: "CatenaMacros", id: rawValue) }
    var severity: DiagnosticSeverity { .error }

    /// The error that reports this diagnostic at `node`.
    func error(at node: some SyntaxProtocol) -> DiagnosticsError {
        DiagnosticsError(diagnostics: [Diagnostic(node: Syntax(node), message: self)])
    }
}
