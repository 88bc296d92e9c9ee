public import ServiceLifecycle

extension CompletionClient: Service {
    /// Keeps the client open until its `ServiceGroup` shuts down gracefully (or the task is cancelled), then
    /// delivers the pending logging events and closes every provider's connections (``shutdown()``): for apps that
    /// run their long-lived objects in a service group.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
