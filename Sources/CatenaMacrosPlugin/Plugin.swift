import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that expands Catena's macros.
@main struct CatenaMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [JSONSchemaMacro.self]
}
