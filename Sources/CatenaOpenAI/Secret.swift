/// A credential that never prints: `description`, `debugDescription` and string interpolation show `<redacted>`,
/// and `dump` or any other reflection shows only its ``masked`` form.
///
/// ```swift
/// let key = Secret(ProcessInfo.processInfo.environment["OPENAI_API_KEY"] ?? "")
/// print(key)   // <redacted>
/// ```
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable,
    ExpressibleByStringLiteral
{
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

    /// The credential with all but its first three and last four characters hidden (`sk-…7890`), so logs can tell
    /// keys apart; a key shorter than 16 characters is hidden whole (`****`).
    public var masked: String { Self.masked(value) }

    /// Only the masked form.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }

    /// `text` with all but its first three and last four characters hidden; whole when shorter than 16 characters.
    public static func masked(_ text: String) -> String {
        text.count >= 16 ? "\(text.prefix(3))…\(text.suffix(4))" : "****"
    }
}
