import Catena
import NIOCore

extension Duration {
    /// The duration as NIO's `TimeAmount` (saturating).
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
