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
        router.add(middleware: UnknownRoutes())
        router.add(middleware: AnthropicErrors())
        router.add(middleware: KeyCheck(access: access))
        for path in ["/health", "/health/liveliness", "/health/liveness"] {
            router.get(RouterPath(path)) { _, _ in JSONResponse(["status": "healthy"]) }
        }
        router.get("/health/readiness") { _, _ in await self.readiness() }
        router.get("/metrics") { _, _ in self.metrics.response }
        for prefix in ["", "/v1"] {
            router.get(RouterPath("\(prefix)/models")) { _, context in self.modelList(for: context.caller) }
            router.get(RouterPath("\(prefix)/models/**")) { _, context in
                try self.modelInfo(context.parameters.getCatchAll().joined(separator: "/"), for: context.caller)
            }
            router.post(RouterPath("\(prefix)/chat/completions")) { request, context in
                try await self.chatCompletion(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/completions")) { request, context in
                try await self.textCompletion(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/embeddings")) { request, context in
                try await self.embedding(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/messages")) { request, context in
                try await self.messages(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/responses")) { request, context in
                try await self.responses(request, caller: context.caller)
            }
            router.post(RouterPath("\(prefix)/messages/count_tokens")) { request, context in
                try await self.countTokens(request, caller: context.caller)
            }
        }
        router.post("/mcp") { request, context in try await self.mcp(request, caller: context.caller) }
        addKeyRoutes(to: router)
        return router
    }

    /// `GET /v1/models`: the public model names the caller may use.
    func modelList(for caller: Caller) -> JSONResponse {
        JSONResponse(["object": "list", "data": .array(models(for: caller).map(Self.modelObject))])
    }

    /// `GET /v1/models/{id}`: one model the caller may use.
    /// - Throws: ``GatewayError`` (404) for a model it may not use or that is not served.
    func modelInfo(_ model: String, for caller: Caller) throws(GatewayError) -> JSONResponse {
        let allowed = models(for: caller)
        guard allowed.contains(model) else { throw .unknownModel(model, served: allowed) }
        return JSONResponse(Self.modelObject(model))
    }

    /// OpenAI's model object for a public model name.
    private static func modelObject(_ model: String) -> JSONValue {
        ["id": .string(model), "object": "model", "created": 0, "owned_by": "catena"]
    }

    /// The models `caller` may use.
    func models(for caller: Caller) -> [String] {
        guard case .key(let key) = caller else { return models }
        return models.filter(key.allows)
    }

    /// `POST /v1/chat/completions`, whole or streamed. A deployment that speaks Chat Completions gets the request's
    /// body with its model name set (and the usage asked for, when streamed), and its answer's bytes come back.
    func chatCompletion(_ request: Request, caller: Caller) async throws -> Response {
        try await chat(
            request, caller: caller, read: { body throws(GatewayError) in try ChatCall(openAIBody: body) },
            relays: true, format: { call in OpenAIStreamFormat(model: call.model, includeUsage: call.streamsUsage) },
            whole: { response, _ in try JSONResponse(encoding: response).response })
    }

    /// `POST /v1/completions`, whole or streamed: the prompt answered through the chat API, in the completions shape.
    func textCompletion(_ request: Request, caller: Caller) async throws -> Response {
        try await chat(
            request, caller: caller, read: { body throws(GatewayError) in try ChatCall(textCompletionBody: body) },
            format: { call in OpenAIStreamFormat(model: call.model, includeUsage: call.streamsUsage, text: true) },
            whole: { response, _ in try JSONResponse(encoding: response.asTextCompletion).response })
    }

    /// `POST /v1/messages`: Anthropic's Messages API in, any provider out (errors in Anthropic's shape).
    func messages(_ request: Request, caller: Caller) async throws -> Response {
        try await chat(
            request, caller: caller, read: { body throws(GatewayError) in try ChatCall(anthropicBody: body) },
            format: { call in AnthropicStreamFormat(writer: .init(model: call.model)) },
            whole: { response, call in JSONResponse(MessagesResponse.message(response, model: call.model)).response })
    }

    /// `POST /v1/responses`: OpenAI's Responses API in, any provider out, whole or streamed.
    func responses(_ request: Request, caller: Caller) async throws -> Response {
        try await chat(
            request, caller: caller, read: { body throws(GatewayError) in try ChatCall(responsesBody: body) },
            format: { call in ResponsesStreamFormat(writer: .init(model: call.model)) },
            whole: { response, call in JSONResponse(ResponsesResponse.response(response, model: call.model)).response })
    }

    /// A chat request in one of the APIs the gateway speaks: its body read by `read`, then answered (see
    /// ``answer(_:body:relays:for:caller:format:whole:)``) streamed in the format `format` makes for the call, or
    /// whole as `whole` writes it (unless `relays` and the deployment's bytes are passed back).
    private func chat<Format: StreamFormat>(
        _ request: Request, caller: Caller, read: ([UInt8]) throws(GatewayError) -> ChatCall, relays: Bool = false,
        format: (ChatCall) -> Format,
        whole: (CompletionResponse, ChatCall) throws -> Response
    ) async throws -> Response {
        var request = request
        let body = try await body(of: &request)
        let call = try read(body)
        return try await answer(
            call, body: body, relays: relays, for: request, caller: caller, format: format(call)
        ) { response in
            try whole(response, call)
        }
    }

    /// `POST /v1/messages/count_tokens`: the tokens an Anthropic request's prompt takes, as the model's deployment
    /// counts them (`{"input_tokens": n}`).
    func countTokens(_ request: Request, caller: Caller) async throws -> JSONResponse {
        var request = request
        let call = try ChatCall(anthropicBody: try await body(of: &request), countingTokens: true)
        try permit(call.model, for: caller)
        do {
            let count = try await router.tokenCount(model: call.model, messages: call.messages)
            return JSONResponse(["input_tokens": .int(count.count)])
        } catch {
            throw GatewayError(error)
        }
    }

    /// Answers `call` of `caller` (its request's `body`) through the router: its events in `format` when streamed,
    /// else the whole answer as `whole` writes it, or (when `relays`) as a deployment that speaks Chat Completions
    /// sent it. A virtual key's request counts against its limits and budget until the answer ends.
    private func answer(
        _ call: ChatCall, body: [UInt8], relays: Bool, for request: Request, caller: Caller, format: some StreamFormat,
        whole: (CompletionResponse) throws -> Response
    ) async throws -> Response {
        let (model, messages) = (call.model, call.messages)
        var options = call.options
        let admission = try await authorize(
            model, for: caller, options: &options, bodyBytes: body.count, maxTokens: options.parameters.maxTokens)
        if call.stream {
            let stream =
                relays
                ? router.relayStream(model: model, body: body, messages: messages, options: options)
                : router.streamingCompletion(model: model, messages: messages, options: options).map {
                    RelayedStreamPiece.chunk($0)
                }
            do {
                return try await EventStreamResponse.start(
                    stream, for: request, format: format, finished: { await admission?.settle() })
            } catch {
                await admission?.settle()
                throw error
            }
        }
        guard relays else {
            return try whole(
                try await settling(admission) {
                    try await router.completion(model: model, messages: messages, options: options)
                })
        }
        let answer = try await settling(admission) {
            try await router.relay(model: model, body: body, messages: messages, options: options)
        }
        switch answer {
        case .bytes(let bytes): return JSONResponse(bytes: bytes).response
        case .response(let response): return try whole(response)
        }
    }

    /// Runs `call`, then settles `admission` however it ended; a failure becomes the gateway's error.
    private func settling<T>(_ admission: Admission?, _ call: () async throws -> T) async throws -> T {
        do {
            let result = try await call()
            await admission?.settle()
            return result
        } catch {
            await admission?.settle()
            throw GatewayError(error)
        }
    }

    /// `POST /v1/embeddings`.
    func embedding(_ request: Request, caller: Caller) async throws -> JSONResponse {
        var request = request
        let body = try await body(of: &request)
        let call = try EmbeddingRequest(body: body)
        var options = CompletionOptions()
        let admission = try await authorize(
            call.model, for: caller, options: &options, bodyBytes: body.count, maxTokens: nil)
        return JSONResponse(
            call.answer(
                try await settling(admission) {
                    try await router.embedding(
                        model: call.model, input: call.input, dimensions: call.dimensions, options: options)
                }))
    }

    /// Checks that `caller` may call `model` now and, for a virtual key, admits the request (a body of `bodyBytes`
    /// generating at most `maxTokens`) against its limits and budget and has its spend recorded in `options`; the
    /// admission is to be settled when the answer ends.
    /// - Throws: ``GatewayError``: an unknown model (404, listing those the caller may use), a model the key may
    ///   not use (403), a limit reached (429), a budget that the request's estimated cost would pass (400).
    func authorize(
        _ model: String, for caller: Caller, options: inout CompletionOptions, bodyBytes: Int, maxTokens: Int?
    ) async throws(GatewayError) -> Admission? {
        try permit(model, for: caller)
        guard case .key(let key) = caller, let spend else { return nil }
        if !spend.hasRoom { await spend.waitForRoom() }
        let estimate = CostEstimate(price: prices[model], bodyBytes: bodyBytes, maxTokens: maxTokens)
        let admission = try await limits.admit(key, estimate: estimate)
        options.callbacks.append(
            SpendRecorder(admission: admission, model: model, estimate: estimate, writer: spend, metrics: metrics))
        return admission
    }

    /// Checks that `caller` may use `model`.
    /// - Throws: ``GatewayError``: an unknown model (404, listing those the caller may use), a model the key may
    ///   not use (403).
    func permit(_ model: String, for caller: Caller) throws(GatewayError) {
        let allowed = models(for: caller)
        guard allowed.contains(model) else {
            guard models.contains(model) else { throw .unknownModel(model, served: allowed) }
            throw GatewayError(
                status: .forbidden,
                message: "This key may not use '\(model)'; it may use: \(allowed.joined(separator: ", "))",
                type: "permission_error", param: "model", code: "model_not_allowed")
        }
    }

    /// The request's body, up to the configured limit (kept in `request`, whose connection a stream then watches).
    /// - Throws: ``GatewayError`` (413) for a larger body.
    func body(of request: inout Request) async throws -> [UInt8] {
        let limit = configuration.generalSettings.maxRequestBytes
        do {
            return Array(buffer: try await request.collectBody(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw GatewayError(
                status: .contentTooLarge,
                message: "the request body is larger than \(limit) bytes (general_settings.max_request_size_mb)",
                type: "invalid_request_error", param: nil, code: "request_too_large")
        }
    }
}
