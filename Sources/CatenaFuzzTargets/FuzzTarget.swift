import CatenaMCP

/// The decoders that read what a server (or a file) sends, each fed arbitrary bytes by libFuzzer
/// (`scripts/fuzz.sh TARGET`) and by the seed-corpus replay in the tests. A target returns normally for any input
/// and traps (`preconditionFailure`) only when a property that must hold for every input is broken.
public enum FuzzTarget: String, Sendable, CaseIterable {
    /// `JSONValue(parsing:)`: what parses serializes and parses back to the same value.
    case json
    /// The completion wire reader (chat completions, their stream chunks, text completions) and what is computed
    /// from a response: chat result, stream message, assembled stream, cost, usage sums.
    case completion
    /// The SSE decoder: feeding the bytes whole or in pieces gives the same events.
    case sse
    /// The `~/.oci/config` parser.
    case ociConfig = "oci-config"
    /// The Redis reply (RESP) reader.
    case resp
    /// `Retry-After` and the error body of a non-2xx response.
    case httpError = "http-error"
    /// The Anthropic Messages and OpenAI Responses stream readers, and the embeddings answer reader.
    case wireFormats = "wire-formats"
    /// An MCP stdio server's output read into messages (split anywhere, the same messages), and each read as a
    /// tool call's result and a tool list.
    case mcp

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json: FuzzJSON.run(bytes)
        case .completion: FuzzCompletion.run(bytes)
        case .sse: FuzzSSE.run(bytes)
        case .ociConfig: FuzzOCIConfig.run(bytes)
        case .resp: FuzzRESP.run(bytes)
        case .httpError: FuzzHTTPError.run(bytes)
        case .wireFormats: FuzzWireFormats.run(bytes)
        case .mcp: MCPFuzzing.read(bytes)
        }
    }
}
