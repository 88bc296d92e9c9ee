import AsyncHTTPClient
public import Catena
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Tracing

/// One connection pool to a model server, shared by every model that uses it: requests with the configured
/// credentials, headers, timeouts and retries, and errors mapped to ``ModelServerError``.
///
/// Call ``shutdown()`` when done (or use ``withClient(_:_:)``).
///
/// ```swift
/// try await ModelServerClient.withClient(.openAICompatible(baseURL: "http://127.0.0.1:8080/v1")) { client in
///     let model = ChatVLLM(client: client, model: "local")
///     print(try await model.invoke("Say hi").text)
/// }
/// ```
public final class ModelServerClient: Sendable, CustomReflectable {
    /// The server and how to talk to it.
    public let configuration: ModelServerConfiguration
    /// The connection pool requests go through.
    let transport: HTTPTransport
    /// Whether ``shutdown()`` closes ``transport`` (not when it is shared).
    private let ownsTransport: Bool
    var http: HTTPClient { transport.http }
    /// The tokenize request shape, once detected.
    let tokenizeDialectCache = Mutex<TokenizeDialect?>(nil)
    /// Cuts this client's credentials out of what servers say back.
    let redact: CredentialRedactor
    /// Why the endpoint's URL cannot be reached at all (no scheme, no host), found once.
    private let invalidURLReason: String?
    /// The server's host and port, as a request's model run span records them.
    private let server: (address: String, port: Int)?
    /// Whether requests check first that the server speaks TLS (for `https://`), until the transport has found
    /// it does; see ``PlainHTTPPortCheck``.
    private let checksTLS: Bool

    /// Creates a client with its own connection pool.
    public convenience init(_ configuration: ModelServerConfiguration) {
        self.init(
            configuration,
            transport: HTTPTransport(
                connectTimeout: configuration.connectTimeout, readTimeout: configuration.readTimeout),
            ownsTransport: true)
    }

    /// Creates a client that sends its requests through `transport`, shared with other clients (whose owner shuts
    /// it down: this client's ``shutdown()`` leaves it open). The transport's timeouts apply, not the
    /// configuration's.
    package convenience init(_ configuration: ModelServerConfiguration, sharing transport: HTTPTransport) {
        self.init(configuration, transport: transport, ownsTransport: false)
    }

    private init(_ configuration: ModelServerConfiguration, transport: HTTPTransport, ownsTransport: Bool) {
        self.configuration = configuration
        self.transport = transport
        self.ownsTransport = ownsTransport
        redact = CredentialRedactor(configuration)
        invalidURLReason = ModelServerError.invalidURLReason(configuration.endpoint.baseURL)
        server = URL(string: configuration.endpoint.baseURL).flatMap { url in
            url.host.map { ($0, url.port ?? (url.scheme == "https" ? 443 : 80)) }
        }
        checksTLS = configuration.endpoint.baseURL.lowercased().hasPrefix("https:")
    }

    /// Only the configuration (which shows no credential): not the connection pool, nor what it redacts.
    public var customMirror: Mirror { Mirror(self, children: ["configuration": configuration], displayStyle: .class) }

    /// Closes the connection pool (unless it is shared). Requests in flight fail.
    public func shutdown() async throws {
        if ownsTransport { try await transport.shutdown() }
    }

    /// Runs `body` with a new client and shuts the client down afterwards, also when `body` throws.
    public static func withClient<T>(
        _ configuration: ModelServerConfiguration, _ body: (ModelServerClient) async throws -> T
    ) async throws -> T {
        let client = ModelServerClient(configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Sends one request and returns the response once its head arrived with a 2xx status.
    /// - Throws: ``ModelServerError`` for any failure.
    func send(_ route: ServerRoute, body: [UInt8]?, streaming: Bool = false) async throws -> HTTPClientResponse {
        if let invalidURLReason {
            throw ModelServerError.cannotConnect(url: configuration.endpoint.baseURL, reason: invalidURLReason)
        }
        let (url, routeHeaders) = configuration.endpoint.target(route, streaming: streaming)
        var request = HTTPClientRequest(url: url)
        request.method = body == nil ? .GET : .POST
        // The configured headers, then the route's and the protocol's in place of any of the same name.
        for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
        for (name, value) in routeHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        request.headers.replaceOrAdd(name: "accept", value: streaming ? "text/event-stream" : "application/json")
        if let body {
            request.headers.replaceOrAdd(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        var redact = redact
        if let signer = configuration.signer {
            guard let parsed = URL(string: url) else { throw ModelServerError.connection("invalid URL '\(url)'") }
            let lowercased = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }) { _, last in last }
            let signature = try signer.signatureHeaders(
                method: body == nil ? "GET" : "POST", url: parsed, headers: lowercased, body: body ?? [])
            for (name, value) in signature { request.headers.replaceOrAdd(name: name, value: value) }
            redact = redact.adding(headers: signature)
        } else if let key = configuration.apiKey, !key.value.isEmpty {
            if let header = configuration.apiKeyHeader {
                request.headers.replaceOrAdd(name: header, value: key.value)
            } else {
                request.headers.replaceOrAdd(name: "authorization", value: "Bearer \(key.value)")
            }
        }

        if let server { CurrentRunSpan.recordServer(address: server.address, port: server.port) }
        let response: HTTPClientResponse
        do {
            try await checkTLS(url: url)
            response = try await http.execute(request, timeout: .nanoseconds(configuration.readTimeout.nanoseconds))
        } catch {
            throw ModelServerError(transportError: error, url: url, while: "waiting for \(route.path)")
        }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw redact(
                ModelServerError(status: Int(response.status.code), url: url, headers: response.headers, body: body))
        }
        return response
    }

    /// How long the TLS check waits for a server's first bytes, once after a ClientHello and once after a plain `HEAD`.
    static let tlsCheckPatience: Duration = .milliseconds(500)

    /// Before the first request to an `https://` server, fails at once if the server speaks plain HTTP only: a request
    /// to it would otherwise wait out the connect timeout on each attempt and end in a bare handshake timeout.
    private func checkTLS(url: String) async throws {
        guard checksTLS, let server else { return }
        let address = "\(server.address):\(server.port)"
        guard !transport.speaksTLS.withLock({ $0.contains(address) }) else { return }
        if await PlainHTTPPortCheck.speaksPlainHTTPOnly(
            host: server.address, port: server.port, patience: Self.tlsCheckPatience)
        {
            throw ModelServerError.cannotConnect(
                url: url, reason: "the server does not speak TLS (it answers plain HTTP): use http://")
        }
        transport.speaksTLS.withLock { _ = $0.insert(address) }
    }

    /// Sends a request and decodes its JSON response, retrying what the retry policy allows; each retry is
    /// reported through `onRetry` before the wait.
    func json<T: Decodable>(
        _ type: T.Type, route: ServerRoute, body: [UInt8]?, onRetry: (RetryState) throws -> Void
    ) async throws -> T {
        try decoded(T.self, from: try await responseBody(route: route, body: body, onRetry: onRetry))
    }

    /// Decodes a body this client received, or reports the payload (with the client's credentials cut out) that
    /// could not be decoded.
    public func decoded<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try Self.decode(T.self, from: bytes)
        } catch {
            throw redact(error)
        }
    }

    /// Sends `body` to `route` (a GET when `nil`) and returns the response body exactly as received, retrying
    /// what the retry policy allows; each retry is reported through `onRetry` before the wait.
    /// - Throws: ``ModelServerError`` for any failure.
    public func responseBody(
        route: ServerRoute, body: [UInt8]?, onRetry: (RetryState) throws -> Void = { _ in }
    ) async throws -> [UInt8] {
        try await retrying(onRetry: onRetry) {
            let response = try await send(route, body: body)
            do {
                return Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
            } catch {
                throw ModelServerError(
                    transportError: error, url: configuration.endpoint.baseURL, while: "reading \(route.path)")
            }
        }
    }

    /// Runs `attempt` until it succeeds or the retry policy gives up; honours a rate limit's `Retry-After`.
    func retrying<T>(
        onRetry: (RetryState) throws -> Void, _ attempt: () async throws -> T
    ) async throws -> T {
        do {
            return try await configuration.retry.run(onRetry: onRetry) { _ in try await attempt() }
        } catch is CancellationError {
            throw ModelServerError.cancelled
        }
    }

    /// Decodes a JSON body, or reports the payload that could not be decoded.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try decode(T.self, utf8: $0) }
    }

    /// Decodes JSON text, or reports the payload that could not be decoded.
    static func decode<T: Decodable>(_ type: T.Type, text: String) throws -> T {
        var text = text
        return try text.withUTF8 { try decode(T.self, utf8: $0) }
    }

    /// Decodes JSON: the wire types read straight from the bytes, other types through a parsed tree.
    private static func decode<T: Decodable>(_ type: T.Type, utf8: UnsafeBufferPointer<UInt8>) throws -> T {
        do {
            if let readable = T.self as? any JSONReadable.Type { return try readable.init(readingJSON: utf8) as! T }
            return try JSONValueDecoder().decode(T.self, fromJSON: utf8)
        } catch {
            let reason = (error as? DecodingError)?.summary ?? "\(error)"
            throw ModelServerError.decoding(payload: String(decoding: utf8, as: UTF8.self), reason: reason)
        }
    }
}

extension ModelServerClient {
    /// The models the server serves (`GET /models`).
    public func models() async throws -> [ModelList.Model] {
        try await json(ModelList.self, route: .models, body: nil, onRetry: { _ in }).data
    }
}
