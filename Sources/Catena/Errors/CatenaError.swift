/// An error raised by Catena's core: bad input, a missing template variable, a parser failure, a misuse.
///
/// Switch on ``code`` (compare with the static values) to react; ``description`` says what happened and what to do.
public struct CatenaError: Error, Sendable, CustomStringConvertible {
    /// The kind of error; compare with the static members (`error.code == .missingVariable`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case noParentRun = "no_parent_run"
            case missingVariable = "missing_variable"
            case invalidTemplate = "invalid_template"
            case invalidInput = "invalid_input"
            case invalidConfiguration = "invalid_configuration"
            case outputParsing = "output_parsing"
            case emptyOutput = "empty_output"
        }
        private let value: Value

        /// A custom event or nested call that needs a parent run found none.
        public static let noParentRun = Code(value: .noParentRun)
        /// A prompt template variable was not given.
        public static let missingVariable = Code(value: .missingVariable)
        /// A prompt template could not be parsed.
        public static let invalidTemplate = Code(value: .invalidTemplate)
        /// An input did not have the shape a runnable needs.
        public static let invalidInput = Code(value: .invalidInput)
        /// A configurable value had the wrong type or an unknown alternative was selected.
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// A parser could not parse a model's output.
        public static let outputParsing = Code(value: .outputParsing)
        /// A runnable produced no output (for example a stream that yielded nothing).
        public static let emptyOutput = Code(value: .emptyOutput)

        /// A short identifier, safe for metric labels.
        public var description: String { value.rawValue }
    }

    /// The kind of error.
    public let code: Code
    /// What happened and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
