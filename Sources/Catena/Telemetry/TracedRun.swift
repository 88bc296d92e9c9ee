import Foundation
import Tracing

/// The run a span context belongs to, kept in the context Catena's telemetry hands out for a run's span, so that
/// code running inside the run (an HTTP client deep in a provider) can add to that span without being passed the run.
struct TracedRun: Sendable {
    let telemetry: RunTelemetry
    let runID: UUID

    /// The service-context key it is kept under.
    enum Key: ServiceContextKey {
        typealias Value = TracedRun
    }
}

/// Adds to the span of the run in progress (the one whose span context is the current `ServiceContext`).
package enum CurrentRunSpan {
    /// Records the server a request of the run goes to as `server.address` and `server.port`; nothing when no run
    /// of Catena's telemetry is in progress.
    package static func recordServer(address: String, port: Int) {
        guard let run = ServiceContext.current?[TracedRun.Key.self] else { return }
        run.telemetry.addAttributes(
            ["server.address": .string(address), "server.port": .int64(Int64(port))], to: run.runID)
    }
}
