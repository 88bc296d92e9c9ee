import CatenaGateway
import Foundation
import Synchronization

/// A gateway clock that moves only when the test advances it.
final class ManualGatewayClock: Sendable {
    private let offset = Mutex(Duration.zero)
    private let startDate = Date()
    private let startInstant = ContinuousClock.now

    /// The clock to give the gateway.
    var clock: GatewayClock {
        GatewayClock(
            date: { [self] in startDate.addingTimeInterval(offset.withLock { $0 } / .seconds(1)) },
            instant: { [self] in startInstant.advanced(by: offset.withLock { $0 }) })
    }

    /// Moves both times forward by `duration`.
    func advance(by duration: Duration) {
        offset.withLock { $0 += duration }
    }
}
