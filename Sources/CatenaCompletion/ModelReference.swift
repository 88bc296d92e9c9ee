/// A model as `completion` names it: `provider/name`, such as `hosted_vllm/meta-llama/Llama-3.1-8B-Instruct`.
/// Only the first `/` separates the provider, so model names may contain slashes.
public struct ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// The provider prefix (`openai`, `hosted_vllm`, `oci`, …).
    public var provider: String
    /// The model name sent to the provider.
    public var name: String

    /// Creates a reference.
    public init(provider: String, name: String) {
        self.provider = provider
        self.name = name
    }

    /// Splits `provider/name`; a bare name (no `/`) has no provider.
    init(parsing model: String) {
        if let slash = model.firstIndex(of: "/") {
            self.init(provider: String(model[..<slash]), name: String(model[model.index(after: slash)...]))
        } else {
            self.init(provider: "", name: model)
        }
    }

    /// `provider/name`.
    public var description: String { provider.isEmpty ? name : "\(provider)/\(name)" }
}
