extension ServerRoute {
    /// `POST /responses` (OpenAI Responses).
    public static let responses = ServerRoute(path: "/responses")
}
