import Synchronization

/// What a router knows about each deployment: calls in flight, consecutive failures, cooldown, average latency.
final class DeploymentHealth: Sendable {
    struct State {
        var inFlight = 0
        var consecutiveFailures = 0
        var coolingUntil: ContinuousClock.Instant?
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

    /// Whether the deployment is left out for now.
    func isCoolingDown(_ id: String) -> Bool {
        let instant = now()
        return states.withLock { states in states[id]?.coolingUntil.map { $0 > instant } ?? false }
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

    /// A call failed; returns whether the deployment now cools down.
    func fail(_ id: String, allowedFailures: Int, cooldown: Duration) -> Bool {
        let instant = now()
        return states.withLock { states in
            var state = states[id, default: State()]
            state.inFlight -= 1
            state.consecutiveFailures += 1
            let coolsDown = state.consecutiveFailures >= allowedFailures
            if coolsDown { state.coolingUntil = instant + cooldown }
            states[id] = state
            return coolsDown
        }
    }
}
