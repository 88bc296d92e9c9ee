import SwiftSyntax
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

@testable import CatenaMacrosPlugin

/// What `@JSONSchema` refuses, with a message saying what it needs.
@Suite struct JSONSchemaDiagnosticsTests {
    static let macros = [
        "JSONSchema": MacroSpec(
            type: JSONSchemaMacro.self,
            conformances: [TypeSyntax(IdentifierTypeSyntax(name: .identifier("JSONSchemaRepresentable")))])
    ]

    func expectError(_ source: String, _ message: String, line: Int, column: Int) {
        assertMacroExpansion(
            "@JSONSchema " + source, expandedSource: source,
            diagnostics: [DiagnosticSpec(message: message, line: line, column: column)], macroSpecs: Self.macros,
            failureHandler: { Issue.record("\($0.message)") })
    }

    @Test func aClassIsRefused() {
        expectError(
            "class Box {}", "@JSONSchema applies to a struct or to an enum with String raw values",
            line: 1, column: 1)
    }

    @Test func anEnumWithoutStringRawValuesIsRefused() {
        expectError(
            "enum Level: Int {\n    case low\n}",
            "@JSONSchema on an enum needs String raw values (enum Unit: String { case celsius, fahrenheit })",
            line: 1, column: 18)
    }

    @Test func aCaseWithAssociatedValuesIsRefused() {
        expectError(
            "enum Shape: String {\n    case circle(radius: Double)\n}",
            "@JSONSchema cannot describe an enum case with associated values", line: 2, column: 10)
    }

    @Test func aPropertyWithoutAWrittenTypeIsRefused() {
        expectError(
            "struct Query {\n    var days = 3\n}",
            "@JSONSchema needs each stored property's type written out (var days: Int)", line: 2, column: 9)
    }
}
