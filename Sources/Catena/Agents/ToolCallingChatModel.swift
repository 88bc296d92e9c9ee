/// A chat model that can be given tools to call: what an ``Agent`` runs on.
///
/// `ProviderChatModel`, `ChatVLLM` and the completion layer's `CompletionChatModel` conform; a custom ``ChatModel``
/// conforms by returning a copy that sends `definitions` with each request (or, for a scripted model, ignores
/// them). Any runnable from a prompt to a message may conform, so a model that reports its own runs (the completion
/// layer's calls) is not traced twice.
public protocol ToolCallingChatModel: Runnable where Input == PromptValue, Output == Message {
    /// This model with `definitions` offered to it on every call, and optionally a tool choice.
    func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice?) -> Self
}

extension ToolCallingChatModel {
    /// This model with `tools` offered to it on every call, and optionally a tool choice.
    public func bindingTools(_ tools: [any Tool], choice: ToolChoice? = nil) -> Self {
        bindingTools(tools.map(\.definition), choice: choice)
    }
}
