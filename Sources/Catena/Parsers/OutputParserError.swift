/// A parser could not make sense of a model's output. Carries the raw output, so the caller can log it, show it,
/// or ask the model to try again.
public struct OutputParserError: Error, Sendable, CustomStringConvertible {
    /// The text the parser received.
    public let rawOutput: String
    /// Why it could not be parsed.
    public let reason: String

    /// Creates an error.
    public init(rawOutput: String, reason: String) {
        self.rawOutput = rawOutput
        self.reason = reason
    }

    /// The reason followed by the raw output.
    public var description: String { "could not parse the model output: \(reason)\nraw output: \(rawOutput)" }
}
