import Catena
import CatenaOpenAI
import Synchronization

/// The clients a provider has opened, one per distinct endpoint, credential and transport setting, so calls
/// to the same server share a connection pool.
final class ClientPool: Sendable {
    /// What makes two calls share a client.
    struct Key: Hashable, Sendable {
        var endpoint: ServerEndpoint
        var apiKey: Secret?
        var credentialProfile: String?
        var wireFormat: String = WireFormat.chatCompletions.name
        var timeout: Duration?
        var maxRetries: Int?
        var headers: [String: String]
    }

    private let clients = Mutex<[Key: ModelServerClient]>([:])

    /// The client for `key`, made by `make` the first time.
    func client(for key: Key, make: () throws -> ModelServerConfiguration) rethrows -> ModelServerClient {
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
    func shutdown() async throws {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try await client.shutdown() }
    }
}

extension ModelServerConfiguration {
    /// This configuration with a call's timeout, retry count and headers applied.
    func applying(timeout: Duration?, maxRetries: Int?, headers: [String: String]) -> ModelServerConfiguration {
        var configuration = self
        if let timeout { configuration.readTimeout = timeout }
        if let maxRetries { configuration.retry.maxAttempts = maxRetries + 1 }
        configuration.headers.merge(headers) { _, call in call }
        return configuration
    }
}
