public import Catena

/// Every sampling parameter of vLLM's OpenAI-compatible server. `nil` is not sent, so the server's default
/// applies; the initializer's defaults are those of LangChain's `ChatOCIModelDeploymentVLLM` (temperature 0.2,
/// max tokens 256, top p 1, no penalties, n 1). The vLLM-only options are `nil` by default: the server's defaults
/// are the reference page's (top k -1, min p 0, repetition penalty 1, skip special tokens, …).
public struct SamplingParameters: Sendable, Hashable {
    /// Randomness (0 is greedy).
    public var temperature: Double?
    /// The most tokens to generate.
    public var maxTokens: Int?
    /// Nucleus sampling mass.
    public var topP: Double?
    /// Sample among the k most likely tokens (-1: all).
    public var topK: Int?
    /// Drop tokens below this probability relative to the most likely one.
    public var minP: Double?
    /// Candidates to return.
    public var n: Int?
    /// Candidates to generate, of which the best `n` are returned.
    public var bestOf: Int?
    /// Beam search instead of sampling.
    public var useBeamSearch: Bool?
    /// Beam search length penalty.
    public var lengthPenalty: Double?
    /// Beam search stopping rule.
    public var earlyStopping: Bool?
    /// Keep generating past the end-of-sequence token.
    public var ignoreEOS: Bool?
    /// Generate at least this many tokens.
    public var minTokens: Int?
    /// Stop sequences (merged with the stop sequences of the call).
    public var stop: [String]?
    /// Token ids that stop generation.
    public var stopTokenIDs: [Int]?
    /// Leave special tokens out of the output.
    public var skipSpecialTokens: Bool?
    /// Put spaces between special tokens in the output.
    public var spacesBetweenSpecialTokens: Bool?
    /// Penalty for repeating tokens (1: none).
    public var repetitionPenalty: Double?
    /// Penalty for tokens already present.
    public var presencePenalty: Double?
    /// Penalty by token frequency.
    public var frequencyPenalty: Double?
    /// Bias per token id (as a string key), -100…100.
    public var logitBias: [String: Double]?
    /// Return log probabilities of the output tokens.
    public var logprobs: Bool?
    /// How many alternatives per token, with `logprobs`.
    public var topLogprobs: Int?
    /// Seed for reproducible sampling.
    public var seed: Int?
    /// A Jinja chat template to use instead of the model's.
    public var chatTemplate: String?
    /// vLLM's constrained decoding, sent as `structured_outputs` (vLLM 0.12 and later).
    public var structuredOutputs: VLLMStructuredOutputs?
    /// Any other request fields, sent as given (they win over every other field of the request).
    public var extra: [String: JSONValue]

    /// Creates parameters; see the type's documentation for the defaults.
    public init(
        temperature: Double? = 0.2, maxTokens: Int? = 256, topP: Double? = 1, topK: Int? = nil, minP: Double? = nil,
        n: Int? = 1, bestOf: Int? = nil, useBeamSearch: Bool? = nil, lengthPenalty: Double? = nil,
        earlyStopping: Bool? = nil, ignoreEOS: Bool? = nil, minTokens: Int? = nil, stop: [String]? = nil,
        stopTokenIDs: [Int]? = nil, skipSpecialTokens: Bool? = nil, spacesBetweenSpecialTokens: Bool? = nil,
        repetitionPenalty: Double? = nil, presencePenalty: Double? = 0, frequencyPenalty: Double? = 0,
        logitBias: [String: Double]? = nil, logprobs: Bool? = nil, topLogprobs: Int? = nil, seed: Int? = nil,
        chatTemplate: String? = nil, structuredOutputs: VLLMStructuredOutputs? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.n = n
        self.bestOf = bestOf
        self.useBeamSearch = useBeamSearch
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.ignoreEOS = ignoreEOS
        self.minTokens = minTokens
        self.stop = stop
        self.stopTokenIDs = stopTokenIDs
        self.skipSpecialTokens = skipSpecialTokens
        self.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.logitBias = logitBias
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.seed = seed
        self.chatTemplate = chatTemplate
        self.structuredOutputs = structuredOutputs
        self.extra = extra
    }

    /// No parameter set: the request carries none, so every server default applies (what `completion` sends
    /// unless told otherwise).
    public static let unset = SamplingParameters(
        temperature: nil, maxTokens: nil, topP: nil, n: nil, presencePenalty: nil, frequencyPenalty: nil)

    /// The request fields for these parameters: set values only, under their wire names.
    /// `chat` adds the chat-only fields (`logprobs` as a flag, `chat_template`); completions send `logprobs` as a count.
    func requestFields(chat: Bool) -> [String: JSONValue] {
        var fields: [(String, JSONValue)] = []
        appendSetFields(to: &fields, chat: chat)
        var object = Dictionary(uniqueKeysWithValues: fields)
        if !extra.isEmpty { object.merge(extra) { _, extra in extra } }
        return object
    }

    /// Appends the set values under their wire names, in the table's order, leaving out `excluded`.
    private func appendSetFields(to members: inout [(String, JSONValue)], chat: Bool, excluding excluded: String? = nil)
    {
        for (name, read) in Self.fieldReaders where name != excluded {
            if let value = read(self, chat) { members.append((name, value)) }
        }
    }

    /// Each request field's wire name and how it is read (`nil`: not sent). A table read per request, so a request
    /// builds only the fields that are set.
    private static let fieldReaders: [(String, @Sendable (SamplingParameters, _ chat: Bool) -> JSONValue?)] = [
        ("temperature", { parameters, _ in parameters.temperature.map(JSONValue.double) }),
        ("max_tokens", { parameters, _ in parameters.maxTokens.map(JSONValue.int) }),
        ("top_p", { parameters, _ in parameters.topP.map(JSONValue.double) }),
        ("top_k", { parameters, _ in parameters.topK.map(JSONValue.int) }),
        ("min_p", { parameters, _ in parameters.minP.map(JSONValue.double) }),
        ("n", { parameters, _ in parameters.n.map(JSONValue.int) }),
        ("best_of", { parameters, _ in parameters.bestOf.map(JSONValue.int) }),
        ("use_beam_search", { parameters, _ in parameters.useBeamSearch.map(JSONValue.bool) }),
        ("length_penalty", { parameters, _ in parameters.lengthPenalty.map(JSONValue.double) }),
        ("early_stopping", { parameters, _ in parameters.earlyStopping.map(JSONValue.bool) }),
        ("ignore_eos", { parameters, _ in parameters.ignoreEOS.map(JSONValue.bool) }),
        ("min_tokens", { parameters, _ in parameters.minTokens.map(JSONValue.int) }),
        ("stop", { parameters, _ in parameters.stop.map { .array($0.map(JSONValue.string)) } }),
        ("stop_token_ids", { parameters, _ in parameters.stopTokenIDs.map { .array($0.map(JSONValue.int)) } }),
        ("skip_special_tokens", { parameters, _ in parameters.skipSpecialTokens.map(JSONValue.bool) }),
        (
            "spaces_between_special_tokens",
            { parameters, _ in parameters.spacesBetweenSpecialTokens.map(JSONValue.bool) }
        ),
        ("repetition_penalty", { parameters, _ in parameters.repetitionPenalty.map(JSONValue.double) }),
        ("presence_penalty", { parameters, _ in parameters.presencePenalty.map(JSONValue.double) }),
        ("frequency_penalty", { parameters, _ in parameters.frequencyPenalty.map(JSONValue.double) }),
        ("logit_bias", { parameters, _ in parameters.logitBias.map { .object($0.mapValues(JSONValue.double)) } }),
        (
            "logprobs",
            { parameters, chat in
                chat
                    ? parameters.logprobs.map(JSONValue.bool)
                    : (parameters.logprobs == true ? .int(parameters.topLogprobs ?? 1) : nil)
            }
        ),
        ("top_logprobs", { parameters, chat in chat ? parameters.topLogprobs.map(JSONValue.int) : nil }),
        ("seed", { parameters, _ in parameters.seed.map(JSONValue.int) }),
        ("chat_template", { parameters, chat in chat ? parameters.chatTemplate.map(JSONValue.string) : nil }),
        ("structured_outputs", { parameters, _ in parameters.structuredOutputs?.wireJSON }),
    ]

    /// These parameters for the provider seam: the settings every provider knows in their fields, vLLM's own
    /// options (and the extra fields) as extra request fields under their wire names.
    package var chatParameters: ChatParameters {
        var extra = requestFields(chat: true)
        for common in [
            "temperature", "max_tokens", "top_p", "top_k", "stop", "seed", "presence_penalty", "frequency_penalty",
        ]
        where self.extra[common] == nil {
            extra[common] = nil
        }
        return ChatParameters(
            temperature: temperature, maxTokens: maxTokens, topP: topP, topK: topK, stop: stop, seed: seed,
            presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, extra: extra)
    }

    /// What a model with these parameters reports as its identifying parameters: the request fields and the model.
    func identifying(model: String, chat: Bool) -> [String: JSONValue] {
        var fields = requestFields(chat: chat)
        fields["model"] = .string(model)
        return fields
    }

    /// A request body's members in the order they are sent: `model`, `content` (messages or prompt, tools, …), the
    /// set parameters, the parameters' stop sequences followed by the call's, stream options when streaming, and
    /// the `extra` fields last, in place of any member of the same name. (A list, not a dictionary: a request is
    /// written as is, with no hashing or sorting.)
    func requestMembers(
        model: String, chat: Bool, content: [(String, JSONValue)], stop: [String]?, stream: Bool
    ) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("model", .string(model))]
        members.reserveCapacity(content.count + 8)
        members += content
        appendSetFields(to: &members, chat: chat, excluding: "stop")  // sent below, with the call's stop sequences
        let stops = (self.stop ?? []) + (stop ?? [])
        if !stops.isEmpty { members.append(("stop", .array(stops.map(JSONValue.string)))) }
        if stream {
            members.append(("stream", true))
            members.append(("stream_options", ["include_usage": true]))
        }
        if !extra.isEmpty {
            members.removeAll { extra[$0.0] != nil }
            members += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        return members
    }
}
