/// An error's type and, for an enum, its case (`ModelServerError.rateLimited`): what logs, payloads and spans
/// report as the error's type (OpenTelemetry's `error.type`).
package func errorTypeName(_ error: any Error) -> String {
    let typeName = "\(type(of: error))"
    let mirror = Mirror(reflecting: error)
    guard mirror.displayStyle == .enum, let caseName = mirror.children.first?.label else { return typeName }
    return "\(typeName).\(caseName)"
}
