import Catena

/// A resource an MCP server offers (`resources/list`): what ``MCPConnection/readResource(_:)`` reads by its URI.
public struct MCPResource: Sendable, Hashable {
    /// Where it is, as the server names it (`file:///…`, `docs://…`).
    public var uri: String
    /// Its name.
    public var name: String
    /// A title for people, when the server gives one.
    public var title: String?
    /// What it holds.
    public var description: String?
    /// Its MIME type, when known.
    public var mimeType: String?

    /// Creates a resource.
    public init(uri: String, name: String, title: String? = nil, description: String? = nil, mimeType: String? = nil) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
    }

    /// The resource a server describes as `json` (`nil` without a URI).
    init?(json: JSONValue) {
        guard let uri = json["uri"]?.stringValue else { return nil }
        self.init(
            uri: uri, name: json["name"]?.stringValue ?? uri, title: json["title"]?.stringValue,
            description: json["description"]?.stringValue, mimeType: json["mimeType"]?.stringValue)
    }
}

/// One content of a resource read: text, or bytes as the server sent them (base64).
public struct MCPResourceContent: Sendable, Hashable {
    /// The content's URI.
    public var uri: String
    /// Its MIME type, when known.
    public var mimeType: String?
    /// The text, for a text resource.
    public var text: String?
    /// The bytes in base64, for a binary resource.
    public var blob: String?

    /// Creates a content.
    public init(uri: String, mimeType: String? = nil, text: String? = nil, blob: String? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
        self.blob = blob
    }

    /// The content a server sent as `json` (`nil` without a URI).
    init?(json: JSONValue) {
        guard let uri = json["uri"]?.stringValue else { return nil }
        self.init(
            uri: uri, mimeType: json["mimeType"]?.stringValue, text: json["text"]?.stringValue,
            blob: json["blob"]?.stringValue)
    }
}
