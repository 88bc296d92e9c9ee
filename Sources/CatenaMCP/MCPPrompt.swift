import Catena

/// A prompt an MCP server offers (`prompts/list`): what ``MCPConnection/prompt(_:arguments:)`` fills in.
public struct MCPPrompt: Sendable, Hashable {
    /// One argument a prompt takes.
    public struct Argument: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// What it is for.
        public var description: String?
        /// Whether the prompt needs it.
        public var isRequired: Bool

        /// Creates an argument.
        public init(name: String, description: String? = nil, isRequired: Bool = false) {
            self.name = name
            self.description = description
            self.isRequired = isRequired
        }
    }

    /// Its name.
    public var name: String
    /// A title for people, when the server gives one.
    public var title: String?
    /// What it does.
    public var description: String?
    /// The arguments it takes.
    public var arguments: [Argument]

    /// Creates a prompt.
    public init(name: String, title: String? = nil, description: String? = nil, arguments: [Argument] = []) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
    }

    /// The prompt a server describes as `json` (`nil` without a name).
    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(
            name: name, title: json["title"]?.stringValue, description: json["description"]?.stringValue,
            arguments: (json["arguments"]?.arrayValue ?? []).compactMap { argument in
                argument["name"]?.stringValue.map {
                    Argument(
                        name: $0, description: argument["description"]?.stringValue,
                        isRequired: argument["required"]?.boolValue ?? false)
                }
            })
    }
}
