/// The shape the model's answer must take.
public enum ResponseFormat: Sendable, Hashable {
    /// Any JSON object.
    case jsonObject
    /// JSON matching `schema`.
    case jsonSchema(name: String, schema: JSONValue, strict: Bool = true)
}
