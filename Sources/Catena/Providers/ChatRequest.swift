/// A chat request in no provider's wire format: what a ``ChatProvider`` turns into its own request.
public struct ChatRequest: Sendable, Hashable {
    /// The model name the provider sends.
    public var model: String
    /// The conversation.
    public var messages: [Message]
    /// Sampling settings and provider-specific fields.
    public var parameters: ChatParameters
    /// Tools the model may call.
    public var tools: [ToolDefinition]
    /// Which tool the model may or must call (`nil`: the provider's default).
    public var toolChoice: ToolChoice?
    /// The answer's required shape (`nil`: free text).
    public var responseFormat: ResponseFormat?

    /// Creates a request.
    public init(
        model: String, messages: [Message], parameters: ChatParameters = ChatParameters(),
        tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil, responseFormat: ResponseFormat? = nil
    ) {
        self.model = model
        self.messages = messages
        self.parameters = parameters
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
    }
}
