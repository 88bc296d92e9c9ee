public import Foundation

extension Process {
    /// Kills the child and waits for it. SIGKILL, because a child spawned from the test process inherits a signal
    /// mask that blocks SIGTERM (and a crash is what the tests that stop servers mean to simulate).
    public func killAndWait() {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }

    /// Sends SIGTERM and waits, at most ten seconds, for the process to end; returns its exit status (`-1`: still
    /// running).
    public func terminateAndWait() async throws -> Int32 {
        terminate()
        let stopping = ContinuousClock.now
        while isRunning && ContinuousClock.now - stopping < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
        }
        return isRunning ? -1 : terminationStatus
    }
}
