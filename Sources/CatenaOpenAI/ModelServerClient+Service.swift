public import ServiceLifecycle

extension ModelServerClient: Service {
    /// Keeps the client open until its `ServiceGroup` shuts down gracefully (or the task is cancelled), then closes
    /// the connection pool: for apps that run their long-lived objects in a service group. Scripts call
    /// ``shutdown()`` instead.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
