/// The body of `/v1/models`.
public struct ModelList: Sendable, Decodable {
    /// The served models.
    public var data: [Model]

    /// One served model.
    public struct Model: Sendable, Decodable {
        /// The name to send as `model`.
        public var id: String
        /// Who owns it, when the server says.
        public var ownedBy: String?

        enum CodingKeys: String, CodingKey {
            case id
            case ownedBy = "owned_by"
        }
    }
}
