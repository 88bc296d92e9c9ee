import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Hummingbird
import NIOCore

extension Gateway {
    /// Every endpoint, behind the key check.
    func routes() -> Hummingbird.Router<GatewayRequestContext> {
        let router = Hummingbird.Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestMetrics(metrics: metrics))
        router.add(middleware: KeyCheck(access: access))
        for path in ["/health", "/health/liveliness", "/health/readiness"] {
            router.get(RouterPath(path)) { _, _ in JSONResponse(["status": "healthy"]) }
        }
        router.get("/metrics") { _, _ in self.metrics.response }
        for prefix in ["", "/v1"] {
            router.get(RouterPath("\(prefix)/models")) { _, context in self.modelList(for: context.caller) }
            router.post(RouterPath("\(prefix)/chat/completions")) { request, context in
                try await self.chatCompletion(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/embeddings")) { request, context in
                try await self.embedding(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/messages")) { request, context in
                do {
                    return try await self.messages(request, caller: context.caller)
                } catch let error as GatewayError {
                    throw AnthropicError(error: error)
                }
            }
        }
        addKeyRoutes(to: router)
        return router
    }

    /// `GET /v1/models`: the public model names the caller may use.
    func modelList(for caller: Caller) -> JSONResponse {
        JSONResponse([
            "object": "list",
            "data": .array(models(for: caller).map { ["id": .string($0), "object": "model", "created": 0, "owned_by": "catena"] }),
        ])
    }

    /// The models `caller` may use.
    func models(for caller: Caller) -> [String] {
        guard case .key(let key) = caller else { return models }
        return models.filter(key.allows)
    }

    /// `POST /v1/chat/completions`, whole or streamed.
    func chatCompletion(_ request: Request, caller: Caller) async throws -> Response {
        var request = request
        let call = try ChatCall(openAIBody: try await body(of: &request))
        return try await answer(call, for: request, caller: caller, format: OpenAIStreamFormat()) { response in
            try JSONResponse(encoding: response).response
        }
    }

    /// `POST /v1/messages`: Anthropic's Messages API in, any provider out (errors in Anthropic's shape).
    func messages(_ request: Request, caller: Caller) async throws -> Response {
        var request = request
        let call = try ChatCall(anthropicBody: try await body(of: &request))
        return try await answer(call, for: request, caller: caller, format: AnthropicStreamFormat(writer: .init(model: call.model))) {
            response in JSONResponse(MessagesResponse.message(response, model: call.model)).response
        }
    }

    /// Answers `call` of `caller` through the router: its events in `format` when streamed, else the whole answer as
    /// `whole` writes it. A virtual key's request counts against its limits until the answer ends.
    private func answer(
        _ call: ChatCall, for request: Request, caller: Caller, format: some StreamFormat,
        whole: (CompletionResponse) throws -> Response
    ) async throws -> Response {
        let (model, messages) = (call.model, call.messages)
        var options = call.options
        try await authorize(model, for: caller, options: &options)
        let finished = try admit(caller)
        if call.stream {
            do {
                return try await EventStreamResponse.start(
                    router.streamingCompletion(model: model, messages: messages, options: options), for: request,
                    format: format, finished: finished)
            } catch {
                finished()
                throw error
            }
        }
        defer { finished() }
        let response: CompletionResponse
        do {
            response = try await router.completion(model: model, messages: messages, options: options)
        } catch {
            throw GatewayError(error)
        }
        return try whole(response)
    }

    /// `POST /v1/embeddings`.
    func embedding(_ request: Request, caller: Caller) async throws -> JSONResponse {
        var request = request
        let call = try EmbeddingRequest(body: try await body(of: &request))
        var options = CompletionOptions()
        try await authorize(call.model, for: caller, options: &options)
        let finished = try admit(caller)
        defer { finished() }
        do {
            let response = try await router.embedding(
                model: call.model, input: call.input, dimensions: call.dimensions, options: options)
            return JSONResponse(call.answer(response))
        } catch {
            throw GatewayError(error)
        }
    }

    /// Counts a virtual key's request against its limits until the returned function is called, when it ends (a
    /// stream: after its last event).
    /// - Throws: ``GatewayError`` (429) when a limit is reached.
    func admit(_ caller: Caller) throws(GatewayError) -> @Sendable () -> Void {
        guard case .key(let key) = caller else { return {} }
        try limits.admit(key)
        return { [limits] in limits.finished(key) }
    }

    /// Checks that `caller` may call `model` now, and has a virtual key's spend recorded in `options`.
    /// - Throws: ``GatewayError``: an unknown model (404, listing those the caller may use), a model the key may
    ///   not use (403), a key over its budget (400).
    func authorize(_ model: String, for caller: Caller, options: inout CompletionOptions) async throws(GatewayError) {
        let allowed = models(for: caller)
        guard allowed.contains(model) else {
            guard models.contains(model) else { throw .unknownModel(model, served: allowed) }
            throw GatewayError(
                status: .forbidden, message: "This key may not use '\(model)'; it may use: \(allowed.joined(separator: ", "))",
                type: "permission_error", param: "model", code: "model_not_allowed")
        }
        guard case .key(let key) = caller, let spend else { return }
        if let budget = key.maxBudget, key.spend >= budget {
            throw GatewayError(
                status: .badRequest,
                message: "Budget exceeded: this key spent $\(key.spend) of its $\(budget) budget",
                type: "budget_exceeded", param: nil, code: "budget_exceeded")
        }
        if !spend.hasRoom { await spend.waitForRoom() }
        options.callbacks.append(SpendRecorder(key: key, model: model, writer: spend, metrics: metrics, limits: limits))
    }

    /// The request's body, up to the configured limit (kept in `request`, whose connection a stream then watches).
    /// - Throws: ``GatewayError`` (413) for a larger body.
    func body(of request: inout Request) async throws -> [UInt8] {
        let limit = configuration.generalSettings.maxRequestBytes
        do {
            return Array(buffer: try await request.collectBody(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw GatewayError(
                status: .contentTooLarge, message: "the request body is larger than \(limit) bytes (general_settings.max_request_size_mb)",
                type: "invalid_request_error", param: nil, code: "request_too_large")
        }
    }
}
