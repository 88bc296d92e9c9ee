import Foundation
import HummingbirdCore
import Logging

/// Caps the client connections open at once: at the cap the server stops accepting (new connections wait in the
/// listen queue until one closes), so clients can never exhaust the process's files, which the upstream
/// connections, the database and `/health` need too. Says so once each time the cap is reached.
struct ConnectionCap: AvailableConnectionsDelegate {
    /// The most connections open at once.
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var atCap = false

    /// A cap of `maximum` connections (`nil`: the open-file limit less 1,024, at least 64).
    init(maximum: Int?, logger: Logger) {
        self.maximum = max(1, maximum ?? max(64, Self.openFileLimit() - 1_024))
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open >= maximum, !atCap {
            atCap = true
            logger.warning(
                "\(open) client connections are open, the cap (general_settings.max_connections): new connections wait until one closes"
            )
        }
    }

    mutating func connectionClosed() {
        open -= 1
        // Said again only once the connections fell well below the cap, not at each close and reopen.
        if atCap, open <= maximum - max(1, maximum / 10) {
            atCap = false
            logger.notice("client connections below the cap again: \(open) open")
        }
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }

    /// The process's soft limit of open files.
    static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return limit.rlim_cur > UInt64(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
