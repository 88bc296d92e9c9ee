public import Catena

/// The custom LLM of LangChain's "How to create a custom LLM class" guide, in Swift: it echoes the first `n`
/// characters of the prompt, and streams them one character per chunk.
///
/// It is also the shortest complete example of a custom model:
///
/// ```swift
/// public struct PrefixLLM: LLM {
///     public var n: Int
///     public var llmType: String { "custom" }
///     public func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
///         String(prompt.prefix(n))
///     }
/// }
/// ```
public struct PrefixLLM: LLM, CustomStringConvertible {
    /// How many characters of the prompt to echo.
    public var n: Int

    /// Creates the model.
    public init(n: Int) {
        self.n = n
    }

    /// The run name, as in the guide.
    public var name: String { "CustomLLM" }

    /// Reported as `_type`.
    public var llmType: String { "custom" }

    /// The provider traces name: `custom`, as LangChain derives it for the `CustomLLM` this model mirrors.
    public var providerName: String { "custom" }

    /// The guide's identifying parameters.
    public var identifyingParameters: [String: JSONValue] { ["model_name": "CustomChatModel"] }

    /// The first `n` characters of `prompt`.
    public func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
        String(prompt.prefix(n))
    }

    /// The first `n` characters of `prompt`, one per chunk.
    public func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>?
    {
        .of(prompt.prefix(n).map { Generation(text: String($0)) })
    }

    /// `CustomLLM` and its parameters, as the guide prints it.
    public var description: String { "CustomLLM\nParams: \(JSONValue.object(identifyingParameters))" }
}
