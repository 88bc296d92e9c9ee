import Catena
import HTTPTypes
import Hummingbird

/// Answers a request no route takes in the API's error shape, as clients expect: 405 with `Allow` for a known path
/// asked with another method, 404 naming the method and path otherwise (Hummingbird's own answer has no body).
struct UnknownRoutes: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// Every path the gateway serves, with its method.
    static let methods: [String: HTTPRequest.Method] = {
        var methods: [String: HTTPRequest.Method] = [
            "/health": .get, "/health/liveliness": .get, "/health/liveness": .get, "/health/readiness": .get,
            "/metrics": .get, "/key/generate": .post, "/key/info": .get, "/key/update": .post, "/key/delete": .post,
            "/spend/logs": .get, "/mcp": .post,
        ]
        for prefix in ["", "/v1"] {
            methods[prefix + "/models"] = .get
            for path in [
                "/chat/completions", "/completions", "/embeddings", "/messages", "/messages/count_tokens", "/responses",
            ] {
                methods[prefix + path] = .post
            }
        }
        return methods
    }()

    /// The route serving `path` (`/v1/models/{id}` for any model's) and its method; `nil` when none does.
    static func route(of path: String) -> (template: String, method: HTTPRequest.Method)? {
        if let method = methods[path] { return (path, method) }
        for prefix in ["/models/", "/v1/models/"] where path.hasPrefix(prefix) && path.count > prefix.count {
            return (prefix + "{id}", .get)
        }
        return nil
    }

    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard let allowed = Self.route(of: path)?.method else {
                throw GatewayError(
                    status: .notFound, message: "no route \(request.method) \(path)", type: "invalid_request_error",
                    param: nil,
                    code: "not_found")
            }
            let refusal = GatewayError(
                status: .methodNotAllowed, message: "\(path) takes \(allowed), not \(request.method)",
                type: "invalid_request_error", param: nil, code: "method_not_allowed")
            var response = refusal.response(refusal.body)
            response.headers[.allow] = allowed.rawValue
            return response
        }
    }
}
