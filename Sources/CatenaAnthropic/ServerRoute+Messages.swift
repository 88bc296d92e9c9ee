public import CatenaOpenAI

extension ServerRoute {
    /// `POST /messages` (Anthropic Messages).
    public static let messages = ServerRoute(path: "/messages")
}
