/// A credential that never prints: `description`, `debugDescription` and string interpolation show `<redacted>`.
///
/// ```swift
/// let key = Secret(ProcessInfo.processInfo.environment["OPENAI_API_KEY"] ?? "")
/// print(key)   // <redacted>
/// ```
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, ExpressibleByStringLiteral {
    /// The credential itself; read it only to send it.
    public let value: String

    /// Wraps a credential.
    public init(_ value: String) { self.value = value }

    /// Wraps a literal credential (for tests and local servers).
    public init(stringLiteral value: String) { self.value = value }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}
