import Catena
import CatenaCompletion

/// A chat call as a request asks for it, in either API the gateway speaks: the model asked for, the messages,
/// whether to stream, and the call's options.
struct ChatCall: Sendable {
    var model: String
    var messages: [Message]
    var stream: Bool
    var options: CompletionOptions
}
