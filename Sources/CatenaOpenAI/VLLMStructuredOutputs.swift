public import Catena

/// vLLM's constrained decoding (vLLM 0.12 and later): the answer must match a JSON schema, a regular expression,
/// one of a list of choices, or a grammar. Sent as the request's `structured_outputs` object; the `guided_json`,
/// `guided_regex`, `guided_choice` and `guided_grammar` fields of older vLLM versions are gone there.
///
/// ```swift
/// var parameters = SamplingParameters()
/// parameters.structuredOutputs = .choice(["positive", "negative"])
/// let sentiment = ChatVLLM(client: client, model: "local", parameters: parameters)
/// ```
public enum VLLMStructuredOutputs: Sendable, Hashable {
    /// An answer that validates against this JSON schema.
    case json(schema: JSONValue)
    /// An answer that matches this regular expression.
    case regex(String)
    /// An answer that is exactly one of these strings.
    case choice([String])
    /// An answer in this context-free grammar (EBNF, as vLLM's backends read it).
    case grammar(String)

    /// The `structured_outputs` object.
    var wireJSON: JSONValue {
        switch self {
        case .json(let schema): ["json": schema]
        case .regex(let pattern): ["regex": .string(pattern)]
        case .choice(let choices): ["choice": .array(choices.map(JSONValue.string))]
        case .grammar(let grammar): ["grammar": .string(grammar)]
        }
    }
}
