package import Foundation

/// Where the gateway reads the time for its keys: the system's clocks, or a test's that moves only when told (so a
/// test of budget periods or key freshness asserts what happens by a given time, with no wall-clock bound).
package struct GatewayClock: Sendable {
    /// The calendar time: budget periods and key expiry.
    package let date: @Sendable () -> Date
    /// The monotonic time: how long a key read from the store is trusted.
    package let instant: @Sendable () -> ContinuousClock.Instant

    /// A clock reading `date` and `instant`.
    package init(date: @escaping @Sendable () -> Date, instant: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.date = date
        self.instant = instant
    }

    /// The system's clocks.
    package static let system = GatewayClock(date: { Date() }, instant: { .now })
}
