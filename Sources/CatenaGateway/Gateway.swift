public import CatenaCompletion
import CatenaOpenAI
public import Hummingbird
public import Logging
public import ServiceLifecycle
public import CoreMetrics
public import CatenaAnthropic
import CatenaRedis
import CatenaSQLiteCache
import Catena
import Foundation

/// An OpenAI-compatible LLM gateway: one endpoint in front of the configured model deployments, with routing,
/// retries, fallbacks, cooldowns, caching and cost through Catena's router and completion layer, and every
/// call's logging and telemetry as any `completion()` call has them.
///
/// `catena serve --config gateway.yaml` runs one; embed one in your own server with ``application(host:port:onServerRunning:)``:
///
/// ```swift
/// let gateway = try Gateway(configuration: .load(path: "gateway.yaml"))
/// let group = ServiceGroup(services: gateway.services + [gateway.application(port: 4000)],
///                          gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class Gateway: Sendable {
    /// What the gateway serves and how.
    public let configuration: GatewayConfiguration
    /// The client that makes the calls (register loggers on it to see every call).
    public let client: CompletionClient
    let router: CatenaCompletion.Router
    /// The public model names, in configuration order.
    let models: [String]
    let logger: Logger
    /// Who may call.
    let access: KeyAccess
    /// Where virtual keys' spend goes (`nil` without a master key: no virtual keys).
    let spend: SpendWriter?
    /// What `GET /metrics` serves.
    let metrics: GatewayMetrics
    /// Virtual keys' rates, parallel requests and budget reservations.
    let limits: any UsageLimiter
    /// What a token of each public model costs at most, for the reservations.
    let prices: [String: ModelPrice]
    /// Deletes old spend log entries, when a retention period is set.
    let retention: SpendLogRetention?
    /// The MCP servers `/mcp` relays.
    let mcpServers: MCPUpstreams

    /// The swift-metrics factory whose metrics `GET /metrics` serves. The gateway's own metrics always go there;
    /// Catena's GenAI metrics (tokens, time to first chunk, cost, cache, retries) do once it is the process's
    /// factory: `MetricsSystem.bootstrap(gateway.metricsFactory)`, as `catena serve` does.
    public var metricsFactory: any MetricsFactory { metrics.factory }

    /// The SQLite file to open: the configured one, except that a database left in the working directory by an
    /// earlier version (whose default it was) is still used while no `database_path` is set, with a warning.
    private static func databasePath(_ general: GatewayConfiguration.GeneralSettings, logger: Logger) -> String {
        let legacy = GatewayConfiguration.GeneralSettings.legacyDatabasePath
        guard general.databasePath == GatewayConfiguration.GeneralSettings.defaultDatabasePath,
            FileManager.default.fileExists(atPath: legacy)
        else { return general.databasePath }
        logger.warning(
            "using ./\(legacy), the default of earlier versions: move it to \(general.databasePath) or set general_settings.database_path"
        )
        return legacy
    }

    /// Builds the gateway's router, cache, client and (with a master key) key store from `configuration`.
    /// - Parameters:
    ///   - configuration: What to serve and how.
    ///   - providers: The providers the deployments' model names may name: by default the standard ones and
    ///     `anthropic/…` (`catena serve` adds Oracle Cloud's `oci/…`, as the CLI's `complete` does).
    ///   - keyStore: Where virtual keys and spend live, with a master key (`nil`: the SQLite file
    ///     `general_settings.database_path` names).
    ///   - logger: Where the gateway logs.
    /// - Throws: When the configured cache or the key store cannot be opened (an SQLite file that cannot be created).
    public convenience init(
        configuration: GatewayConfiguration,
        providers: ProviderRegistry = .standard().registering(ModelServerProvider.anthropic()),
        keyStore: (any KeyStore)? = nil,
        logger: Logger = Logger(label: "catena.gateway")
    ) throws {
        try self.init(
            configuration: configuration, providers: providers, keyStore: keyStore, clock: .system, logger: logger)
    }

    /// A gateway whose keys read the time from `clock` (a test's, so budget periods and key freshness need no
    /// waiting); otherwise as ``init(configuration:providers:keyStore:logger:)``.
    package init(
        configuration: GatewayConfiguration, providers: ProviderRegistry, keyStore: (any KeyStore)?,
        clock: GatewayClock, logger: Logger
    ) throws {
        self.configuration = configuration
        self.logger = logger
        client = CompletionClient(
            providers: providers, cache: try Self.cache(configuration.cacheSettings), logger: logger)
        let settings = configuration.routerSettings
        router = CatenaCompletion.Router(
            client: client,
            configuration: RouterConfiguration(
                deployments: configuration.modelList.enumerated().map { index, entry in
                    entry.deployment(index: index, timeouts: settings.timeouts)
                },
                strategy: settings.routingStrategy, retries: settings.numRetries, fallbacks: settings.fallbacks,
                allowedFailures: settings.allowedFails, cooldown: .seconds(settings.cooldownTime)))
        var seen = Set<String>()
        models = configuration.modelList.map(\.modelName).filter { seen.insert($0).inserted }
        let general = configuration.generalSettings
        let store: (any KeyStore)? = try general.masterKey.map { _ in
            if let keyStore { return keyStore }
            if let url = general.databaseURL { return try PostgresKeyStore(url: url.value, logger: logger) }
            return try SQLiteKeyStore(path: Self.databasePath(general, logger: logger))
        }
        let metrics = GatewayMetrics()
        self.metrics = metrics
        let access = KeyAccess(
            masterKey: general.masterKey, store: store, clock: clock, logger: logger, metrics: metrics)
        self.access = access
        spend = store.map { SpendWriter(store: $0, metrics: metrics, logger: logger) }
        retention = store.flatMap { store in
            general.spendLogsRetention.map { period in
                SpendLogRetention(
                    store: store, period: period, interval: .seconds(general.spendLogsPruneInterval), logger: logger)
            }
        }
        limits =
            settings.redisHost.map { host in
                RedisKeyLimits(
                    redis: RedisClient(host: host, port: settings.redisPort, commandTimeout: .seconds(1)),
                    fallback: KeyLimits(),
                    failClosed: general.failClosedBudgetEnforcement, logger: logger, metrics: metrics)
            } ?? KeyLimits()
        mcpServers = MCPUpstreams(configuration.mcpServers, logger: logger)
        prices = configuration.modelList.reduce(into: [:]) { prices, entry in
            guard let price = entry.parameters.price ?? PriceTable.bundled.price(named: entry.parameters.model) else {
                return
            }
            prices[entry.modelName] = prices[entry.modelName].map { $0.higher(price) } ?? price
        }
    }

    /// What the gateway runs, in order: the key store's connection pool when it has one (PostgreSQL), then the
    /// gateway itself. Put them in your `ServiceGroup` before the ``application(host:port:onServerRunning:)``:
    /// a group stops its services in reverse order, so the server stops accepting and finishes its requests, the
    /// gateway writes their spend, and only then does the store close.
    public var services: [any Service] {
        [access.store as? any Service, self].compactMap { $0 }
    }

    /// The cache the settings name.
    private static func cache(_ settings: GatewayConfiguration.CacheSettings) throws -> (any ResponseCache)? {
        let ttl = settings.ttl.map { Duration.seconds($0) }
        switch settings.store {
        case nil: return nil
        case .memory: return InMemoryResponseCache(capacity: 10_000, defaultTTL: ttl)
        case .sqlite(let path): return try SQLiteResponseCache(path: path, defaultTTL: ttl)
        case .redis(let host, let port): return RedisResponseCache(host: host, port: port, defaultTTL: ttl)
        }
    }

    /// The HTTP server serving the gateway on `host:port` (port 0: any free port, which `onServerRunning` is told
    /// through the channel's local address): a `Service`, which stops accepting and finishes the requests in
    /// flight on graceful shutdown. Idle client connections close after `general_settings.client_idle_timeout`;
    /// at most `general_settings.max_connections` are open at once.
    public func application(
        host: String = "127.0.0.1", port: Int = 4000,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let general = configuration.generalSettings
        return Application<RouterResponder<GatewayRequestContext>>(
            router: routes(),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(general.clientIdleTimeout * 1e9)))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "catena-gateway",
                availableConnectionsDelegate: ConnectionCap(maximum: general.maxConnections, logger: logger)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }
}

extension GatewayConfiguration.ModelEntry {
    /// The router deployment of the `index`th entry, with its own timeouts over `timeouts`.
    func deployment(index: Int, timeouts: GatewayConfiguration.UpstreamTimeouts) -> RouterDeployment {
        var options = CompletionOptions(
            apiBase: parameters.apiBase, apiKey: parameters.apiKey.map { Secret($0) },
            maxRetries: parameters.maxRetries,
            price: parameters.price)
        parameters.timeouts.or(timeouts).apply(to: &options)
        return RouterDeployment(
            id: id ?? "\(modelName)-\(index)", group: modelName, model: parameters.model, options: options)
    }
}
