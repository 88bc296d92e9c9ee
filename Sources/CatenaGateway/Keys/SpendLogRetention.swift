import Foundation
import Logging

/// Keeps the spend log within `general_settings.maximum_spend_logs_retention_period`: deletes older entries in the
/// background, off the request path, every `maximum_spend_logs_retention_interval`. Their days' totals
/// (``DailySpend``) and the keys' spend stay.
struct SpendLogRetention: Sendable {
    let store: any KeyStore
    /// How long entries are kept, in seconds.
    let period: TimeInterval
    /// How often older entries are deleted.
    let interval: Duration
    let logger: Logger

    /// Deletes the entries that started more than the period before `now`; returns how many. A failure is logged
    /// (the next round tries again) and counts as none.
    @discardableResult
    func prune(now: Date) async -> Int {
        do {
            let deleted = try await store.pruneSpendLogs(before: now.addingTimeInterval(-period))
            if deleted > 0 { logger.info("deleted \(deleted) spend log entries past the retention period") }
            return deleted
        } catch {
            logger.warning("the spend log could not be pruned; trying again later", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Prunes now, then every interval, until cancelled.
    func run() async {
        while !Task.isCancelled {
            await prune(now: Date())
            try? await Task.sleep(for: interval)
        }
    }
}
