extension LLM {
    /// The type's name without an `LLM` suffix, lowercased: LangChain's rule for text models (`SelectiveFailLLM`:
    /// `selectivefail`).
    public var providerName: String {
        let name = TypeNames.name(of: Self.self)
        return (name.hasSuffix("LLM") ? String(name.dropLast(3)) : name).lowercased()
    }
}

extension ChatModel {
    /// The type's name without a `Chat` prefix, or else suffix, lowercased: LangChain's rule for chat models
    /// (`ChatEcho` and `EchoChat`: `echo`; `GenericFakeChatModel`: `genericfakechatmodel`).
    public var providerName: String {
        let name = TypeNames.name(of: Self.self)
        if name.hasPrefix("Chat") { return name.dropFirst(4).lowercased() }
        return (name.hasSuffix("Chat") ? String(name.dropLast(4)) : name).lowercased()
    }
}
