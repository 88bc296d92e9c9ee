import CatenaOpenAI
import Crypto
import HTTPTypes
import Hummingbird

/// Lets a request through only with the master key as `Authorization: Bearer …` (or `x-api-key`, as Anthropic's
/// clients send it); health checks need no key. The key is compared by its SHA-256 digest in constant time.
struct KeyCheck: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// The master key's digest, `nil` when no key is configured.
    let masterKeyDigest: [UInt8]?

    init(masterKey: Secret?) {
        masterKeyDigest = masterKey.map { Self.digest(of: $0.value) }
    }

    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let masterKeyDigest, !request.uri.path.hasPrefix("/health") else { return try await next(request, context) }
        guard let presented = Self.key(of: request) else {
            throw GatewayError.unauthorized("No API key: send it as 'Authorization: Bearer <key>'")
        }
        guard Self.sameDigests(Self.digest(of: presented), masterKeyDigest) else {
            throw GatewayError.unauthorized("Invalid API key")
        }
        return try await next(request, context)
    }

    /// A key's SHA-256 digest.
    static func digest(of key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }

    /// Whether two digests are equal, comparing every byte whatever the first difference: the time taken tells
    /// nothing about the key.
    static func sameDigests(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The key a request presents.
    static func key(of request: Request) -> String? {
        if let authorization = request.headers[.authorization] {
            let bearer = "Bearer "
            return authorization.hasPrefix(bearer) ? String(authorization.dropFirst(bearer.count)) : authorization
        }
        return request.headers[HTTPField.Name("x-api-key")!]
    }
}
