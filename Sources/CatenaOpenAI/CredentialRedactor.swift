/// Cuts a client's own credentials (its API key, a signer's session token) out of what a server says back, so that
/// a server echoing the `Authorization` header cannot put a key into an error, a log line or a logging payload.
struct CredentialRedactor: Sendable, CustomReflectable {
    /// The texts to cut out, longest first (so a token containing another is cut whole).
    private let secrets: [String]

    /// The credentials of `configuration`: its API key, its signer's secrets, and the values of configured headers
    /// whose names say they carry one (`Authorization`, `api-key`, `X-Auth-Token`, …), whole and without a scheme.
    init(_ configuration: ModelServerConfiguration) {
        var secrets = configuration.signer?.credentials ?? []
        if let key = configuration.apiKey?.value { secrets.append(key) }
        for (name, value) in configuration.headers where Self.carriesCredential(name) {
            secrets.append(value)
            if let token = value.split(separator: " ").last { secrets.append(String(token)) }
        }
        self.secrets = Self.ordered(secrets)
    }

    private init(secrets: [String]) {
        self.secrets = Self.ordered(secrets)
    }

    /// The non-empty texts, each once, longest first.
    private static func ordered(_ secrets: [String]) -> [String] {
        Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// This redactor, also cutting out the credentials among one request's own `headers` (a signer's whole
    /// `Authorization` value, signature included, which differs for every request).
    func adding(headers: some Sequence<(key: String, value: String)>) -> CredentialRedactor {
        let values = headers.filter { Self.carriesCredential($0.key) }.map(\.value)
        return values.isEmpty ? self : CredentialRedactor(secrets: secrets + values)
    }

    /// How many credentials it cuts out, never which.
    var customMirror: Mirror { Mirror(self, children: ["credentials": secrets.count]) }

    /// Whether a header of this name carries a credential.
    static func carriesCredential(_ name: String) -> Bool {
        let name = name.lowercased()
        return ["authorization", "key", "token", "secret", "cookie", "password"].contains { name.contains($0) }
    }

    /// `text` with every credential replaced by `<redacted>`.
    func callAsFunction(_ text: String) -> String {
        secrets.reduce(text) { text, secret in
            text.contains(secret) ? text.replacing(secret, with: "<redacted>") : text
        }
    }

    /// `error` with every credential cut out of the texts the server put in it.
    func callAsFunction(_ error: ModelServerError) -> ModelServerError {
        guard !secrets.isEmpty else { return error }
        return switch error {
        case .rateLimited(let retryAfter, let message): .rateLimited(retryAfter: retryAfter, message: self(message))
        case .authentication(let status, let message): .authentication(status: status, message: self(message))
        case .badRequest(let status, let message): .badRequest(status: status, message: self(message))
        case .notFound(let url, let message): .notFound(url: self(url), message: self(message))
        case .server(let status, let message): .server(status: status, message: self(message))
        case .unexpectedStatus(let status, let message): .unexpectedStatus(status: status, message: self(message))
        case .streamError(let message): .streamError(message: self(message))
        case .timeout(let what): .timeout(self(what))
        case .cannotConnect(let url, let reason): .cannotConnect(url: self(url), reason: self(reason))
        case .connection(let reason): .connection(self(reason))
        case .decoding(let payload, let reason): .decoding(payload: self(payload), reason: self(reason))
        case .streamInterrupted(let partial, let reason): .streamInterrupted(partial: partial, reason: self(reason))
        case .cancelled: .cancelled
        }
    }

    /// `error` redacted when it is a ``ModelServerError``, as is otherwise.
    func callAsFunction(_ error: any Error) -> any Error {
        (error as? ModelServerError).map { self($0) } ?? error
    }
}
