import Catena
package import CatenaOpenAI
import Synchronization

/// The clients a provider has opened, one per distinct endpoint, credential and transport setting, so calls
/// to the same server share a connection pool.
package final class ClientPool: Sendable {
    /// What makes two calls share a client.
    package struct Key: Hashable, Sendable {
        package var endpoint: ServerEndpoint
        package var apiKey: Secret?
        package var credentialProfile: String?
        package var wireFormat: String
        package var timeout: Duration?
        package var connectTimeout: Duration?
        package var maxRetries: Int?
        package var headers: [String: String]

        /// A key for a client of `endpoint` with these credentials and the call's transport settings (timeouts,
        /// retries, headers) from `options`.
        package init(
            endpoint: ServerEndpoint, apiKey: Secret? = nil, credentialProfile: String? = nil,
            wireFormat: String = WireFormat.chatCompletions.name, options: CompletionOptions
        ) {
            self.endpoint = endpoint
            self.apiKey = apiKey
            self.credentialProfile = credentialProfile
            self.wireFormat = wireFormat
            self.timeout = options.timeout
            self.connectTimeout = options.connectTimeout
            self.maxRetries = options.maxRetries
            self.headers = options.headers
        }
    }

    private let clients = Mutex<[Key: ModelServerClient]>([:])

    /// An empty pool.
    package init() {}

    /// The client for `key`, made by `make` the first time.
    package func client(for key: Key, make: () throws -> ModelServerConfiguration) rethrows -> ModelServerClient {
        try clients.withLock { clients in
            if let client = clients[key] { return client }
            let client = ModelServerClient(try make())
            clients[key] = client
            return client
        }
    }

    /// Clients still open when the pool goes away (its provider was dropped without `shutdown()`) are shut down in
    /// the background instead of failing AsyncHTTPClient's leak check.
    deinit {
        let remaining = clients.withLock { Array($0.values) }
        guard !remaining.isEmpty else { return }
        Task {
            for client in remaining { try? await client.shutdown() }
        }
    }

    /// Shuts every client down.
    package func shutdown() async throws {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try await client.shutdown() }
    }
}

extension ModelServerConfiguration {
    /// This configuration with the transport settings of `key` (a call's timeouts, retry count and headers) applied.
    package func applying(_ key: ClientPool.Key) -> ModelServerConfiguration {
        var configuration = self
        if let timeout = key.timeout { configuration.readTimeout = timeout }
        if let connectTimeout = key.connectTimeout { configuration.connectTimeout = connectTimeout }
        if let maxRetries = key.maxRetries { configuration.retry.maxAttempts = maxRetries + 1 }
        configuration.headers.merge(key.headers) { _, call in call }
        return configuration
    }
}
