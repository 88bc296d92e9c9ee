public import ServiceLifecycle

extension RedisResponseCache: Service {
    /// Keeps the cache open until its `ServiceGroup` shuts down gracefully (or the task is cancelled), then closes
    /// its connection (``shutdown()``): for apps that run their long-lived objects in a service group.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
