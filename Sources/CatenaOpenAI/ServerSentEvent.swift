/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field (`nil` means the default, `message`).
    public var event: String?
    /// The `data:` lines, joined with `\n`.
    public var data: String
    /// The `id:` field.
    public var id: String?
    /// The `retry:` field, in milliseconds.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
