/// Where a JSON value does not fit a schema, and how.
public struct SchemaViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path to the value that does not fit: `city`, `stops[2].name`; empty for the value itself.
    public var path: String
    /// What is wrong: `is required`, `should be an integer, not "three"`.
    public var problem: String

    /// Creates a violation.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `field 'stops[2].name' is required`, or the problem alone for the value itself.
    public var description: String { path.isEmpty ? "the value \(problem)" : "field '\(path)' \(problem)" }
}
