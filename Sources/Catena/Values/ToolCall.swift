/// A tool call requested by an assistant message.
///
/// In a stream, a call arrives in fragments that share an `index`: the first fragment usually carries `id` and
/// `name`, later ones carry pieces of `arguments`. `Message.+` merges fragments with the same index.
public struct ToolCall: Sendable, Hashable, Codable {
    /// Position of the call in the message; set on stream fragments, `nil` on complete calls.
    public var index: Int?
    /// The provider's id for the call, echoed back in the tool message.
    public var id: String?
    /// The tool's name.
    public var name: String
    /// The arguments as raw JSON text (possibly partial while streaming).
    public var arguments: String

    /// Creates a tool call or a fragment of one.
    public init(index: Int? = nil, id: String? = nil, name: String = "", arguments: String = "") {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// The arguments parsed as JSON.
    /// - Throws: `DecodingError` when `arguments` is not valid JSON (for example a truncated stream).
    public func parsedArguments() throws -> JSONValue {
        try JSONValue(parsing: arguments.isEmpty ? "{}" : arguments)
    }

    /// Merges a later fragment of the same call into this one.
    ///
    /// Arguments concatenate. Ids and names are kept from the first fragment that had them: some servers repeat
    /// them in every fragment, and concatenating would corrupt them.
    public mutating func merge(_ fragment: ToolCall) {
        if id == nil || id?.isEmpty == true { id = fragment.id }
        if name.isEmpty { name = fragment.name }
        arguments += fragment.arguments
    }
}
