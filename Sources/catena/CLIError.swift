import CatenaOpenAI

/// An error as the command line reports it: the library's own description, plus what to do where that is clear.
/// Thrown from a command's `run()` where ArgumentParser's `ValidationError` would print the root command's usage
/// under it (that error is for `validate()`, where the command's own usage is printed).
struct CLIError: Error, CustomStringConvertible {
    let description: String

    /// `error`, with a remedy added when the server cannot be reached on this machine.
    static func explaining(_ error: any Error) -> any Error {
        guard case .cannotConnect(let url, let reason) = error as? ModelServerError, reason.contains("refused"),
            url.contains("://127.0.0.1") || url.contains("://localhost")
        else { return error }
        return CLIError(description: "\(error). Start the local one with: bash scripts/llm-server.sh start")
    }
}
