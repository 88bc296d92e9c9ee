public import Foundation

/// Signs requests for servers that authenticate by signature instead of a bearer key (Oracle Cloud model
/// deployments: see `CatenaOCI`).
public protocol RequestSigner: Sendable {
    /// The headers to add so the request is authenticated.
    /// - Parameters:
    ///   - method: The HTTP method, uppercase.
    ///   - url: The full URL, with the query exactly as it is sent.
    ///   - headers: The headers already set (lowercased names).
    ///   - body: The exact bytes of the body that is sent (empty for none).
    func signatureHeaders(method: String, url: URL, headers: [String: String], body: [UInt8]) throws -> [String: String]
    /// The secret parts of what this signer sends (a session token), cut out of anything a server says back.
    var credentials: [String] { get }
}

extension RequestSigner {
    /// None: a signature made with a private key reveals nothing that needs hiding.
    public var credentials: [String] { [] }
}
