import Synchronization

extension FaultServer {
    /// What a scripted response waits on (``FaultServer/Action/wait(_:)``) until the test opens it: a server that
    /// holds its answer for exactly as long as the test needs, with no clock involved.
    public final class Gate: Sendable {
        private struct State {
            var isOpen = false
            var waiting: [@Sendable () -> Void] = []
        }

        private let state = Mutex(State())

        /// A closed gate.
        public init() {}

        /// Opens the gate: the responses waiting on it go on, and those that reach it later pass.
        public func open() {
            let waiting = state.withLock { state in
                state.isOpen = true
                return state.waiting.take()
            }
            for resume in waiting { resume() }
        }

        /// Runs `resume` once the gate is open (at once if it is).
        func whenOpen(_ resume: @escaping @Sendable () -> Void) {
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiting.append(resume) }
                return state.isOpen
            }
            if isOpen { resume() }
        }
    }
}

extension Array {
    /// The elements, leaving the array empty.
    fileprivate mutating func take() -> [Element] {
        defer { self = [] }
        return self
    }
}
