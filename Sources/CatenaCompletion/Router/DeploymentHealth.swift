import Synchronization

/// What a router knows about each deployment: calls in flight, consecutive failures, cooldown, average latency.
final class DeploymentHealth: Sendable {
    struct State {
        var inFlight = 0
        var consecutiveFailures = 0
        var coolingUntil: ContinuousClock.Instant?
        /// How it last failed.
        var lastFailure: String?
        /// Exponentially weighted average latency, once measured.
        var latency: Duration?
    }

    private let states = Mutex<[String: State]>([:])
    private let now: @Sendable () -> ContinuousClock.Instant

    init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.now = now
    }

    /// The current state of every deployment in `ids`.
    func snapshot(_ ids: [String]) -> [String: State] {
        states.withLock { states in Dictionary(uniqueKeysWithValues: ids.map { ($0, states[$0] ?? State()) }) }
    }

    /// Why the deployment is left out for now, if it is.
    func coolingDown(_ id: String) -> DeploymentCoolingDown? {
        let instant = now()
        return states.withLock { states in
            guard let state = states[id], let until = state.coolingUntil, until > instant else { return nil }
            return DeploymentCoolingDown(lastFailure: state.lastFailure ?? "unknown", remaining: until - instant)
        }
    }

    /// A call starts.
    func begin(_ id: String) -> ContinuousClock.Instant {
        states.withLock { $0[id, default: State()].inFlight += 1 }
        return now()
    }

    /// A call succeeded after starting at `start`.
    func succeed(_ id: String, startedAt start: ContinuousClock.Instant) {
        let elapsed = now() - start
        states.withLock { states in
            var state = states[id, default: State()]
            state.inFlight -= 1
            state.consecutiveFailures = 0
            state.coolingUntil = nil
            state.latency = state.latency.map { $0 * 0.7 + elapsed * 0.3 } ?? elapsed
            states[id] = state
        }
    }

    /// A call failed by the deployment's fault with `error`; returns whether the deployment now cools down: after
    /// `allowedFailures` in a row, or, for a deployment alone in its group (whose cooldown leaves its callers with
    /// nothing), only once ``loneDeploymentFailures`` calls in a row failed.
    func fail(_ id: String, error: any Error, allowedFailures: Int, cooldown: Duration, alone: Bool) -> Bool {
        let instant = now()
        return states.withLock { states in
            var state = states[id, default: State()]
            state.inFlight -= 1
            state.consecutiveFailures += 1
            state.lastFailure = "\(error)"
            let coolsDown =
                state.consecutiveFailures
                >= (alone ? max(allowedFailures, Self.loneDeploymentFailures) : allowedFailures)
            if coolsDown { state.coolingUntil = instant + cooldown }
            states[id] = state
            return coolsDown
        }
    }

    /// A call ended without saying anything of the deployment (the caller's own error, or a cancellation).
    func release(_ id: String) {
        states.withLock { $0[id, default: State()].inFlight -= 1 }
    }

    /// Failures in a row after which a deployment alone in its group cools down.
    static let loneDeploymentFailures = 20
}
