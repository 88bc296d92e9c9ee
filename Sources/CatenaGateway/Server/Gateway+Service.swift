import CatenaCompletion
public import ServiceLifecycle

extension Gateway: Service {
    /// Keeps the gateway's client and spend log open (deleting spend log entries past their retention period
    /// meanwhile) until the service group shuts down gracefully, then writes
    /// the pending spend, closes the limits' Redis connection, delivers pending logging and closes the upstream
    /// connections (ending the MCP servers' processes). Run it in the group before the ``application(host:port:onServerRunning:)`` (services stop in
    /// reverse order: the server first, so the requests in flight finish and record their spend before this stops).
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            if let retention { group.addTask { await retention.run() } }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await spend?.shutdown()
        await limits.shutdown()
        await mcpServers.close()
        try await client.shutdown()
    }
}
