import Dispatch
import Foundation
import Synchronization

/// Ctrl-C during an interactive session: runs the action set last (cancel the answer being streamed, or end the
/// session at the prompt) instead of killing the process. Restores the default when it goes away.
final class Interrupts {
    /// The action, shared with the signal handler.
    private final class Action: Sendable {
        let handler = Mutex<(@Sendable () -> Void)?>(nil)
    }

    private let action = Action()
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let action = action
        source.setEventHandler { action.handler.withLock { $0 }?() }
        source.resume()
    }

    /// What the next Ctrl-C does.
    func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
        action.handler.withLock { $0 = handler }
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
