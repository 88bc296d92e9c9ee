public import Catena

/// OpenAI's Chat Completions API (`POST /chat/completions`) as vLLM, llama.cpp's server, OpenAI and any compatible
/// server speak it, Oracle Cloud model deployments included (through the client's endpoint).
///
/// Request fields: model, messages, tools, tool choice, response format, the sampling settings, stop sequences,
/// `stream` with `stream_options.include_usage`, then the parameters' extra fields (vLLM's own sampling options
/// among them), which win over any field of the same name.
///
/// ```swift
/// let model = ProviderChatModel(provider: OpenAIChatProvider(client: client), model: "gpt-4.1-mini")
/// ```
public struct OpenAIChatProvider: ChatProvider {
    /// The server.
    public var client: ModelServerClient
    /// The name traces report (`openai`; ``ChatVLLM`` reports `vllm`).
    public var providerName: String

    /// Creates a provider.
    public init(client: ModelServerClient, providerName: String = "openai") {
        self.client = client
        self.providerName = providerName
    }

    /// The Chat Completions request body.
    public func requestBody(_ request: ChatRequest, stream: Bool) -> [UInt8] {
        JSONValue.serializedObject(Self.requestMembers(request, stream: stream))
    }

    /// The whole answer: every candidate, with usage, finish reason, logprobs, fingerprint and id; the decoded
    /// ``ChatCompletion`` rides along as the response's `decoded`.
    public func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse {
        let raw = try await client.responseBody(route: .chatCompletions, body: body, onRetry: run.onRetry)
        let completion = try client.decoded(ChatCompletion.self, from: raw)
        return ProviderResponse(result: ChatResult(completion), raw: raw, decoded: completion)
    }

    /// The answer's chunks; the request is retried only before any output. Each chunk's usage is what it adds to
    /// the server's previous report, so the merged chunks' usage is the server's last report whether it sends
    /// usage once or running totals on every chunk.
    public func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message> {
        client.streamedChunks(route: .chatCompletions, body: body, onRetry: run.onRetry)
            .compactMapChunks(state: WireUsage?.none) { reported, chunk in
                guard let usage = chunk.usage else { return Message(chunk: chunk) }
                var increment = chunk
                increment.usage = usage.increment(since: reported)
                reported = usage
                return Message(chunk: increment)
            }
    }

    /// The request's members in the order they are sent (a list, not a dictionary: written as is, with no hashing
    /// or sorting).
    package static func requestMembers(_ request: ChatRequest, stream: Bool) -> [(String, JSONValue)] {
        let parameters = request.parameters
        var members: [(String, JSONValue)] = [
            ("model", .string(request.model)), ("messages", .array(request.messages.flatMap(\.wireMessages))),
        ]
        members.reserveCapacity(12 + parameters.extra.count)
        if !request.tools.isEmpty { members.append(("tools", .array(request.tools.map(\.wireJSON)))) }
        if let toolChoice = request.toolChoice { members.append(("tool_choice", toolChoice.wireJSON)) }
        if let responseFormat = request.responseFormat { members.append(("response_format", responseFormat.wireJSON)) }
        if let temperature = parameters.temperature { members.append(("temperature", .double(temperature))) }
        if let maxTokens = parameters.maxTokens { members.append(("max_tokens", .int(maxTokens))) }
        if let topP = parameters.topP { members.append(("top_p", .double(topP))) }
        if let topK = parameters.topK { members.append(("top_k", .int(topK))) }
        if let presence = parameters.presencePenalty { members.append(("presence_penalty", .double(presence))) }
        if let frequency = parameters.frequencyPenalty { members.append(("frequency_penalty", .double(frequency))) }
        if let seed = parameters.seed { members.append(("seed", .int(seed))) }
        if let stop = parameters.stop, !stop.isEmpty { members.append(("stop", .array(stop.map(JSONValue.string)))) }
        if stream {
            members.append(("stream", true))
            members.append(("stream_options", ["include_usage": true]))
        }
        if !parameters.extra.isEmpty {
            members.removeAll { parameters.extra[$0.0] != nil }
            members += parameters.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        return members
    }
}
