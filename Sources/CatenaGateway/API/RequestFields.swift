import Catena
import CatenaOpenAI

/// The members of a request's JSON object, read with errors that name the field and the type it needs.
struct RequestFields {
    let members: [String: JSONValue]

    /// Parses `body`, which must be a JSON object.
    init(body: [UInt8]) throws(GatewayError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: body)
        } catch {
            throw .invalidRequest("the request body is not valid JSON: \(error)")
        }
        guard let members = parsed.objectValue else { throw .invalidRequest("the request body must be a JSON object") }
        self.members = members
    }

    /// Throws for the first member not in `known` (in name order, so the error is the same every time).
    func refuseUnknown(_ known: Set<String>) throws(GatewayError) {
        if let unknown = members.keys.filter({ !known.contains($0) }).min() {
            throw .invalidRequest("Unrecognized request argument supplied: \(unknown)", param: unknown)
        }
    }

    /// The member `name`, unless absent or null.
    func value(_ name: String) -> JSONValue? {
        guard let value = members[name], value != .null else { return nil }
        return value
    }

    /// The member `name` read by `read`, `nil` when absent or null.
    /// - Throws: When present with another type than `expected` describes.
    func optional<T>(_ name: String, _ read: (JSONValue) -> T?, _ expected: String) throws(GatewayError) -> T? {
        guard let value = value(name) else { return nil }
        guard let read = read(value) else { throw .invalidRequest("'\(name)' must be \(expected)", param: name) }
        return read
    }

    /// The member `name` read by `read`.
    /// - Throws: When absent, null or of another type.
    func required<T>(_ name: String, _ read: (JSONValue) -> T?, _ expected: String) throws(GatewayError) -> T {
        guard let value = try optional(name, read, expected) else {
            throw .invalidRequest("'\(name)' is required (\(expected))", param: name)
        }
        return value
    }
}

extension RequestFields {
    /// What a sampling field's value must be.
    enum Kind {
        case number, integer, boolean, string, object, integers, stops

        var expected: String {
            switch self {
            case .number: "a number"
            case .integer: "an integer"
            case .boolean: "true or false"
            case .string: "a string"
            case .object: "an object"
            case .integers: "an array of integers"
            case .stops: "a string or an array of strings"
            }
        }

        func accepts(_ value: JSONValue) -> Bool {
            switch self {
            case .number: value.doubleValue != nil
            case .integer: value.intValue != nil
            case .boolean: value.boolValue != nil
            case .string: value.stringValue != nil
            case .object: value.objectValue != nil
            case .integers: value.arrayValue?.allSatisfy { $0.intValue != nil } == true
            case .stops: value.stringValue != nil || value.arrayValue?.allSatisfy { $0.stringValue != nil } == true
            }
        }
    }

    /// The sampling fields of OpenAI's API and vLLM's, with their kinds.
    static let samplingFields: [(name: String, kind: Kind)] = [
        ("temperature", .number), ("top_p", .number), ("max_tokens", .integer), ("max_completion_tokens", .integer),
        ("stop", .stops), ("seed", .integer), ("presence_penalty", .number), ("frequency_penalty", .number),
        ("n", .integer),
        ("logit_bias", .object), ("logprobs", .boolean), ("top_logprobs", .integer), ("top_k", .integer),
        ("min_p", .number),
        ("repetition_penalty", .number), ("min_tokens", .integer), ("ignore_eos", .boolean), ("best_of", .integer),
        ("use_beam_search", .boolean), ("length_penalty", .number), ("early_stopping", .boolean),
        ("stop_token_ids", .integers), ("skip_special_tokens", .boolean), ("spaces_between_special_tokens", .boolean),
        ("chat_template", .string), ("structured_outputs", .object),
    ]

    /// Refuses a token limit below 1 (`max_tokens: -1` once reached the upstream, or a 0 that can generate nothing).
    static func checkMaxTokens(_ maxTokens: Int?, field: String) throws(GatewayError) {
        guard let maxTokens, maxTokens < 1 else { return }
        throw .invalidRequest("'\(field)' must be 1 or more (got \(maxTokens))", param: field)
    }

    /// The request's sampling parameters: the fields every provider knows typed, the rest (vLLM's and OpenAI's
    /// own) passed on as they came.
    /// - Throws: When a field has the wrong type.
    func samplingParameters() throws(GatewayError) -> SamplingParameters {
        var extra: [String: JSONValue] = [:]
        for (name, kind) in Self.samplingFields {
            guard let value = value(name) else { continue }
            guard kind.accepts(value) else { throw .invalidRequest("'\(name)' must be \(kind.expected)", param: name) }
            extra[name] = value
        }
        func take<T>(_ name: String, _ read: (JSONValue) -> T?) -> T? { extra.removeValue(forKey: name).flatMap(read) }
        let stop = take("stop") { value in value.stringValue.map { [$0] } ?? value.arrayValue?.compactMap(\.stringValue)
        }
        let maxTokensField = extra["max_completion_tokens"] != nil ? "max_completion_tokens" : "max_tokens"
        let maxTokens = take("max_completion_tokens", \.intValue) ?? take("max_tokens", \.intValue)
        extra["max_tokens"] = nil
        try Self.checkMaxTokens(maxTokens, field: maxTokensField)
        var parameters = SamplingParameters(
            temperature: take("temperature", \.doubleValue), maxTokens: maxTokens, topP: take("top_p", \.doubleValue),
            n: take("n", \.intValue), presencePenalty: take("presence_penalty", \.doubleValue),
            frequencyPenalty: take("frequency_penalty", \.doubleValue))
        parameters.topK = take("top_k", \.intValue)
        parameters.stop = stop
        parameters.seed = take("seed", \.intValue)
        parameters.extra = extra
        return parameters
    }
}
