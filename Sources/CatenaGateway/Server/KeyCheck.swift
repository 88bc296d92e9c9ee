import HTTPTypes
import Hummingbird

/// Finds who a request comes from (``KeyAccess``) and puts it in the request's context; health checks and the
/// metrics (scraped by Prometheus) need no key.
struct KeyCheck: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let access: KeyAccess

    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard access.requiresKeys, !path.hasPrefix("/health"), path != "/metrics" else {
            return try await next(request, context)
        }
        var context = context
        context.caller = try await access.caller(presenting: Self.key(of: request))
        return try await next(request, context)
    }

    /// The key a request presents: `Authorization: Bearer …`, or `x-api-key` as Anthropic's clients send it.
    static func key(of request: Request) -> String? {
        if let authorization = request.headers[.authorization] {
            let bearer = "Bearer "
            return authorization.hasPrefix(bearer) ? String(authorization.dropFirst(bearer.count)) : authorization
        }
        return request.headers[HTTPField.Name("x-api-key")!]
    }
}

/// A gateway request's context: Hummingbird's, and who the request comes from.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``KeyCheck``.
    var caller: Caller = .master

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
