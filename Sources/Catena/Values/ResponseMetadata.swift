/// What a provider said about an answer, typed: why it stopped, which model and response it was, and the
/// token log-probabilities when asked for.
///
/// A view of ``Message/responseMetadata`` (which keeps LangChain's keys, `finish_reason`, `model_name`, … for
/// traces and conformance), so each value has one home:
///
/// ```swift
/// let reply = try await model.invoke("Tell me a story")
/// if reply.response.finishReason == "length" { print("cut off by max tokens") }
/// ```
public struct ResponseMetadata: Sendable, Hashable {
    /// Why the model stopped, in the provider's words (`stop`, `length`, `tool_calls`, `end_turn`, …).
    public var finishReason: String?
    /// The model that answered, as the provider named it.
    public var model: String?
    /// The provider's id of the response.
    public var id: String?
    /// The serving configuration's fingerprint (OpenAI's `system_fingerprint`).
    public var systemFingerprint: String?
    /// The token log-probabilities, as the provider gave them.
    public var logprobs: JSONValue?

    /// Creates metadata; every field is optional.
    public init(
        finishReason: String? = nil, model: String? = nil, id: String? = nil, systemFingerprint: String? = nil,
        logprobs: JSONValue? = nil
    ) {
        self.finishReason = finishReason
        self.model = model
        self.id = id
        self.systemFingerprint = systemFingerprint
        self.logprobs = logprobs
    }

    /// The keys each field has in ``Message/responseMetadata``.
    private enum Key {
        static let finishReason = "finish_reason", model = "model_name", id = "id"
        static let systemFingerprint = "system_fingerprint", logprobs = "logprobs"
    }

    /// Reads the typed fields of LangChain-keyed metadata.
    init(_ fields: [String: JSONValue]) {
        self.init(
            finishReason: fields[Key.finishReason]?.stringValue, model: fields[Key.model]?.stringValue,
            id: fields[Key.id]?.stringValue, systemFingerprint: fields[Key.systemFingerprint]?.stringValue,
            logprobs: fields[Key.logprobs].flatMap { $0 == .null ? nil : $0 })
    }

    /// Writes the fields into LangChain-keyed metadata (a `nil` field removes its key); other keys stay.
    func write(into fields: inout [String: JSONValue]) {
        fields[Key.finishReason] = finishReason.map(JSONValue.string)
        fields[Key.model] = model.map(JSONValue.string)
        fields[Key.id] = id.map(JSONValue.string)
        fields[Key.systemFingerprint] = systemFingerprint.map(JSONValue.string)
        fields[Key.logprobs] = logprobs
    }
}

extension Message {
    /// What the provider said about this answer, typed (a view of ``responseMetadata``).
    public var response: ResponseMetadata {
        get { ResponseMetadata(responseMetadata) }
        set { newValue.write(into: &responseMetadata) }
    }
}

extension LLMResult {
    /// The model that answered: a message's response metadata, else the provider-level output's `model_name`.
    public var modelName: String? {
        generations.joined().lazy.compactMap { $0.message?.response.model }.first
            ?? llmOutput?["model_name"]?.stringValue
    }

    /// What the run cost, in the currency of the price it was costed with (US dollars for Catena's price table):
    /// set by callers that know the model's price, such as `completion()` (0 for an answer from the cache); `nil`
    /// when nobody priced it. Kept in the provider-level output as `response_cost`.
    public var cost: Double? {
        get { llmOutput?["response_cost"]?.doubleValue }
        set {
            guard newValue != nil || llmOutput != nil else { return }
            var output = llmOutput ?? [:]
            output["response_cost"] = newValue.map(JSONValue.double)
            llmOutput = output
        }
    }
}
