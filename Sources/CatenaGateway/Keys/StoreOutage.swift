import Foundation
import Logging
import Synchronization

/// What an operator is told of a shared store that went away: one warning when it fails, a reminder every minute
/// while it stays away (with how many requests it missed), one line when it is back, and a gauge
/// (`catena_gateway_store_up{store=…}`: 1 or 0) for alerts; not a warning per request.
final class StoreOutage: Sendable {
    /// The store's name in the log and the metric.
    let store: String
    /// What the gateway does meanwhile, for the warning.
    private let policy: String
    private let logger: Logger
    private let metrics: GatewayMetrics
    private let state = Mutex<State?>(nil)
    /// How often a continuing outage is logged again.
    static let reminder: Duration = .seconds(60)

    private struct State {
        let began: ContinuousClock.Instant
        var lastWarning: ContinuousClock.Instant
        var missed = 0
    }

    init(store: String, policy: String, logger: Logger, metrics: GatewayMetrics) {
        self.store = store
        self.policy = policy
        self.logger = logger
        self.metrics = metrics
        metrics.storeUp(store, true)
    }

    /// A request found the store away with `error`.
    func failed(_ error: any Error) {
        let now = ContinuousClock.now
        let message: Logger.Message? = state.withLock { state in
            guard var current = state else {
                state = State(began: now, lastWarning: now, missed: 1)
                return "\(store) is unavailable: \(policy)"
            }
            current.missed += 1
            defer { state = current }
            guard now - current.lastWarning >= Self.reminder else { return nil }
            current.lastWarning = now
            return
                "\(store) is still unavailable after \((now - current.began).components.seconds) s (\(current.missed) requests so far): \(policy)"
        }
        guard let message else { return }
        metrics.storeUp(store, false)
        logger.warning(message, metadata: ["error": "\(error)"])
    }

    /// A request reached the store.
    func succeeded() {
        let ended = state.withLock { state in
            defer { state = nil }
            return state
        }
        guard let ended else { return }
        metrics.storeUp(store, true)
        logger.notice(
            "\(store) is available again after \((ContinuousClock.now - ended.began).components.seconds) s (\(ended.missed) requests missed it)"
        )
    }

    /// Whether the store is away now.
    var isDown: Bool { state.withLock { $0 != nil } }
}
