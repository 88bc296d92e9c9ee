/// Which tool the model may or must call.
public enum ToolChoice: Sendable, Hashable {
    /// The model decides.
    case auto
    /// The model must call some tool.
    case required
    /// The model must not call tools.
    case none
    /// The model must call the named tool (some servers, llama.cpp's among them, accept only the string forms).
    case function(String)
}
