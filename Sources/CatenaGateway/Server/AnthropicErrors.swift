import Hummingbird

/// Answers the errors of Anthropic's routes (`/v1/messages`, `/v1/messages/count_tokens`) in Anthropic's shape, the
/// key check's included, so Anthropic's clients read them.
struct AnthropicErrors: RouterMiddleware {
    typealias Context = GatewayRequestContext

    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasSuffix("/messages") || path.hasSuffix("/messages/count_tokens") else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as GatewayError {
            throw AnthropicError(error: error)
        }
    }
}

/// A gateway error answered in Anthropic's shape.
struct AnthropicError: HTTPResponseError {
    let error: GatewayError

    var status: HTTPResponse.Status { error.status }

    func response(from request: Request, context: some RequestContext) -> Response {
        error.response(error.anthropicBody)
    }
}
