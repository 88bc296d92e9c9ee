public import Foundation

extension Process {
    /// Kills the child and waits for it. SIGKILL, because a child spawned from the test process inherits a signal
    /// mask that blocks SIGTERM (and a crash is what the tests that stop servers mean to simulate).
    public func killAndWait() {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }
}
