import Catena
import CatenaCompletion
import CatenaOpenAI
import Hummingbird

/// What the gateway answers a failed request with, in OpenAI's error shape, which client libraries understand:
/// `{"error": {"message": …, "type": …, "param": …, "code": …}}` with the matching HTTP status.
struct GatewayError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// OpenAI's error type: `invalid_request_error`, `authentication_error`, `rate_limit_error`, `api_error`…
    var type: String
    /// The request field at fault.
    var param: String?
    var code: String?
    /// The seconds after which the request may pass, sent as `Retry-After`.
    var retryAfter: Int?

    init(
        status: HTTPResponse.Status, message: String, type: String, param: String?, code: String?,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfter = retryAfter
    }

    /// A request the gateway cannot read or will not serve (400).
    static func invalidRequest(_ message: String, param: String? = nil) -> GatewayError {
        GatewayError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: nil)
    }

    /// A request without a valid key (401).
    static func unauthorized(_ message: String) -> GatewayError {
        GatewayError(
            status: .unauthorized, message: message, type: "authentication_error", param: nil, code: "invalid_api_key")
    }

    /// A request for a model the gateway does not serve (404), listing those it does.
    static func unknownModel(_ model: String, served: [String]) -> GatewayError {
        GatewayError(
            status: .notFound,
            message: "The model '\(model)' does not exist here; available models: \(served.joined(separator: ", "))",
            type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    /// The error for a failed call: the router's, or the upstream's (its status where the client should see it,
    /// 502 for an upstream that failed or answered garbage, 504 for one that timed out).
    init(_ error: any Error) {
        switch error {
        case let error as GatewayError:
            self = error
        case CompletionError.unknownModelGroup(let model, let known):
            self = .unknownModel(model, served: known)
        case CompletionError.allDeploymentsFailed(_, let attempts)
        where attempts.allSatisfy({ $0.error is DeploymentCoolingDown }):
            // Nothing was tried: every deployment is cooling down (the message says after which failure).
            self.init(
                status: .serviceUnavailable, message: "\(error)", type: "api_error", param: nil,
                code: "no_deployment_available",
                retryAfter: attempts.compactMap { ($0.error as? DeploymentCoolingDown)?.remaining.components.seconds }
                    .min().map { Int($0) + 1 })
        case CompletionError.allDeploymentsFailed(_, let attempts) where !attempts.isEmpty:
            // The last attempt's kind of failure, with every attempt in the message.
            self.init(attempts[attempts.count - 1].error)
            message = "\(error)"
        case let error as CompletionError:
            self.init(status: .badRequest, message: "\(error)", type: "invalid_request_error", param: nil, code: nil)
        case let error as ModelServerError:
            self.init(upstream: error)
        case is CancellationError:
            self.init(
                status: .init(code: 499), message: "the client went away", type: "api_error", param: nil, code: nil)
        default:
            self.init(status: .internalServerError, message: "\(error)", type: "api_error", param: nil, code: nil)
        }
    }

    private init(upstream error: ModelServerError) {
        let message = "upstream: \(error)"
        switch error {
        case .rateLimited(let retryAfter, _):
            self.init(
                status: .tooManyRequests, message: message, type: "rate_limit_error", param: nil,
                code: "rate_limit_exceeded",
                retryAfter: retryAfter.map { Int(min($0.components.seconds, 86_400)) })
        case .badRequest:
            self.init(status: .badRequest, message: message, type: "invalid_request_error", param: nil, code: nil)
        case .notFound:
            self.init(status: .notFound, message: message, type: "invalid_request_error", param: nil, code: nil)
        case .timeout:
            self.init(
                status: .gatewayTimeout, message: message, type: "api_error", param: nil, code: "upstream_timeout")
        case .cancelled:
            self.init(status: .init(code: 499), message: message, type: "api_error", param: nil, code: nil)
        default:
            self.init(status: .badGateway, message: message, type: "api_error", param: nil, code: "upstream_error")
        }
    }

    /// The body in Anthropic's shape, for `/v1/messages`: `{"type": "error", "error": {"type": …, "message": …}}`.
    var anthropicBody: JSONValue {
        let kind =
            switch status.code {
            case 401: "authentication_error"
            case 403: "permission_error"
            case 404: "not_found_error"
            case 413: "request_too_large"
            case 429: "rate_limit_error"
            case 400..<500: "invalid_request_error"
            case 503: "overloaded_error"
            default: "api_error"
            }
        return ["type": "error", "error": ["type": .string(kind), "message": .string(message)]]
    }

    /// The body: OpenAI's error object.
    var body: JSONValue {
        [
            "error": [
                "message": .string(message), "type": .string(type), "param": param.map(JSONValue.string) ?? .null,
                "code": code.map(JSONValue.string) ?? .null,
            ]
        ]
    }
}
