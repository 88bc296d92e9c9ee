public import CatenaOpenAI
import Crypto
import _CryptoExtras
public import Foundation

/// Signs requests the way Oracle Cloud requires (draft-cavage HTTP signatures, RSA-SHA256): `date`,
/// `(request-target)` and `host` for every request, plus `content-length`, `content-type` and `x-content-sha256`
/// (SHA-256 of the exact bytes sent) for POST, PUT and PATCH.
///
/// ```swift
/// let signer = try OCIRequestSigner(profile: "DEFAULT")          // reads ~/.oci/config
/// let client = ModelServerClient(.init(endpoint: .ociModelDeployment(predictURL: url), signer: signer))
/// ```
///
/// Printing, interpolating, `debugPrint` or `dump` of a signer shows its key id masked like an API key: for session
/// tokens the key id holds the whole token.
public struct OCIRequestSigner: RequestSigner, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// `<tenancy>/<user>/<fingerprint>`, or `ST$<token>` for session tokens (a credential: read it only to send it).
    public let keyID: String
    private let key: _RSA.Signing.PrivateKey
    /// The time to put in the `date` header; replaceable for tests.
    private let now: @Sendable () -> Date

    /// A signer with a PEM private key (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`).
    /// - Throws: ``OCIConfigurationError`` when the key cannot be read.
    public init(keyID: String, privateKeyPEM: String, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.keyID = keyID
        self.now = now
        do {
            // 1024-bit keys are accepted so that Oracle's published test values can be reproduced.
            key = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: privateKeyPEM)
        } catch {
            throw OCIConfigurationError("the private key is not an RSA key in PKCS#1 or PKCS#8 PEM form (\(error))")
        }
    }

    /// The key id of an API key: `<tenancy OCID>/<user OCID>/<fingerprint>`.
    public static func apiKeyID(tenancy: String, user: String, fingerprint: String) -> String {
        "\(tenancy)/\(user)/\(fingerprint)"
    }

    /// The key id of a session token (security token file, resource principal): `ST$<token>`.
    public static func sessionTokenKeyID(_ token: String) -> String {
        "ST$\(token.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    public func signatureHeaders(
        method: String, url: URL, headers: [String: String], body: [UInt8]
    ) throws -> [String: String] {
        var signed = headers
        signed["date"] = signed["date"] ?? HTTPDate.format(now())
        signed["host"] = signed["host"] ?? Self.host(of: url)
        let lowercasedMethod = method.lowercased()
        var names = ["date", "(request-target)", "host"]
        if ["post", "put", "patch"].contains(lowercasedMethod) {
            signed["content-length"] = String(body.count)
            signed["content-type"] = signed["content-type"] ?? "application/json"
            signed["x-content-sha256"] = Data(SHA256.hash(data: body)).base64EncodedString()
            names += ["content-length", "content-type", "x-content-sha256"]
        }
        signed["(request-target)"] = "\(lowercasedMethod) \(Self.requestTarget(of: url))"
        let signingString = names.map { "\($0): \(signed[$0]!)" }.joined(separator: "\n")
        let signature = try sign(signingString)
        var added = signed.filter { names.contains($0.key) && $0.key != "(request-target)" }
        added["authorization"] =
            #"Signature version="1",keyId="\#(keyID)",algorithm="rsa-sha256",headers="\#(names.joined(separator: " "))",signature="\#(signature)""#
        return added
    }

    /// The base64 RSA-SHA256 (PKCS#1 v1.5) signature of `signingString`.
    public func sign(_ signingString: String) throws -> String {
        try key.signature(for: Data(signingString.utf8), padding: .insecurePKCS1v1_5).rawRepresentation
            .base64EncodedString()
    }

    /// The key id, masked (`ST$…wxyz`); the key itself is never shown.
    public var description: String { "OCIRequestSigner(keyID: \(Secret.masked(keyID)))" }
    /// The same as ``description``.
    public var debugDescription: String { description }
    /// Only the masked key id.
    public var customMirror: Mirror { Mirror(self, children: ["keyID": Secret.masked(keyID)], displayStyle: .struct) }

    /// The session token of a session-token key id (`ST$<token>`): cut out of anything a server says back.
    public var credentials: [String] {
        keyID.hasPrefix("ST$") ? [String(keyID.dropFirst(3))] : []
    }

    /// The path and raw query, exactly as sent.
    static func requestTarget(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? url.path
        let query = components?.percentEncodedQuery.map { "?\($0)" } ?? ""
        return (path.isEmpty ? "/" : path) + query
    }

    /// The host, with the port when it is not the scheme's default.
    static func host(of url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }
}

/// A problem with OCI credentials: a missing profile or key, an unreadable key file.
public struct OCIConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
