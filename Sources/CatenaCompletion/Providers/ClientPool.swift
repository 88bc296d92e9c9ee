import Catena
package import CatenaOpenAI
import Synchronization

/// The clients a provider has made, one per distinct endpoint, credential and transport setting, over one
/// connection pool per pair of timeouts: a process's calls share connections whatever their keys and headers.
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

    /// The connection pools, one per pair of timeouts, and the clients made lately, oldest first.
    private struct State {
        var transports: [TransportKey: HTTPTransport] = [:]
        var clients: [Key: ModelServerClient] = [:]
        var order: [Key] = []
    }

    /// What makes two clients share a connection pool: only the timeouts AsyncHTTPClient sets per pool.
    private struct TransportKey: Hashable {
        let connectTimeout: Duration
        let readTimeout: Duration
    }

    private let state = Mutex(State())
    /// How many clients are kept for reuse; older ones are dropped (they hold no connection of their own).
    private let capacity: Int

    /// An empty pool keeping up to `capacity` clients.
    package init(capacity: Int = 1_024) {
        self.capacity = max(1, capacity)
    }

    /// The client for `key`, made by `make` the first time (or again once dropped), sharing the connection pool of
    /// every client with the same timeouts: calls with 10,000 different keys open one pool, not 10,000.
    package func client(for key: Key, make: () throws -> ModelServerConfiguration) rethrows -> ModelServerClient {
        try state.withLock { state in
            if let client = state.clients[key] { return client }
            let configuration = try make()
            let transportKey = TransportKey(
                connectTimeout: configuration.connectTimeout, readTimeout: configuration.readTimeout)
            let transport =
                state.transports[transportKey]
                ?? HTTPTransport(
                    connectTimeout: configuration.connectTimeout, readTimeout: configuration.readTimeout)
            state.transports[transportKey] = transport
            let client = ModelServerClient(configuration, sharing: transport)
            state.clients[key] = client
            state.order.append(key)
            if state.order.count > capacity {
                let dropped = state.order.count - capacity / 2
                for old in state.order.prefix(dropped) { state.clients[old] = nil }
                state.order.removeFirst(dropped)
            }
            return client
        }
    }

    /// How many connection pools and clients the pool holds (for tests).
    package var counts: (transports: Int, clients: Int) {
        state.withLock { ($0.transports.count, $0.clients.count) }
    }

    /// Connection pools still open when the pool goes away (its provider was dropped without `shutdown()`) are
    /// shut down in the background instead of failing AsyncHTTPClient's leak check.
    deinit {
        let remaining = state.withLock { Array($0.transports.values) }
        guard !remaining.isEmpty else { return }
        Task {
            for transport in remaining { try? await transport.shutdown() }
        }
    }

    /// Shuts every connection pool down.
    package func shutdown() async throws {
        let all = state.withLock { state in
            defer { state = State() }
            return Array(state.transports.values)
        }
        for transport in all { try await transport.shutdown() }
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
