import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Hummingbird
import NIOCore

extension Gateway {
    /// Every endpoint, behind the key check.
    func routes() -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router()
        router.add(middleware: KeyCheck(masterKey: configuration.generalSettings.masterKey))
        for path in ["/health", "/health/liveliness", "/health/readiness"] {
            router.get(RouterPath(path)) { _, _ in JSONResponse(["status": "healthy"]) }
        }
        for prefix in ["", "/v1"] {
            router.get(RouterPath("\(prefix)/models")) { _, _ in self.modelList() }
            router.post(RouterPath("\(prefix)/chat/completions")) { request, _ in try await self.chatCompletion(request) }
        }
        return router
    }

    /// `GET /v1/models`: the public model names.
    func modelList() -> JSONResponse {
        JSONResponse([
            "object": "list",
            "data": .array(models.map { ["id": .string($0), "object": "model", "created": 0, "owned_by": "catena"] }),
        ])
    }

    /// `POST /v1/chat/completions`, whole or streamed.
    func chatCompletion(_ request: Request) async throws -> Response {
        let call = try ChatCompletionRequest(body: try await body(of: request))
        guard models.contains(call.model) else { throw GatewayError.unknownModel(call.model, served: models) }
        if call.stream {
            return try await EventStreamResponse.start(
                router.streamingCompletion(model: call.model, messages: call.messages, options: call.options))
        }
        do {
            let response = try await router.completion(model: call.model, messages: call.messages, options: call.options)
            return try JSONResponse(encoding: response).response
        } catch {
            throw GatewayError(error)
        }
    }

    /// The request's body, up to the configured limit.
    /// - Throws: ``GatewayError`` (413) for a larger body.
    func body(of request: Request) async throws -> [UInt8] {
        let limit = configuration.generalSettings.maxRequestBytes
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw GatewayError(
                status: .contentTooLarge, message: "the request body is larger than \(limit) bytes (general_settings.max_request_size_mb)",
                type: "invalid_request_error", param: nil, code: "request_too_large")
        }
    }
}
