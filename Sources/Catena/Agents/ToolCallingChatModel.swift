/// A chat model that can be given tools to call: what an ``Agent`` runs on.
///
/// `ProviderChatModel` and `ChatVLLM` conform; a custom model conforms by returning a copy that sends
/// `definitions` with each request (or, for a scripted model, ignores them).
public protocol ToolCallingChatModel: ChatModel {
    /// This model with `definitions` offered to it on every call, and optionally a tool choice.
    func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice?) -> Self
}

extension ToolCallingChatModel {
    /// This model with `tools` offered to it on every call, and optionally a tool choice.
    public func bindingTools(_ tools: [any Tool], choice: ToolChoice? = nil) -> Self {
        bindingTools(tools.map(\.definition), choice: choice)
    }
}
