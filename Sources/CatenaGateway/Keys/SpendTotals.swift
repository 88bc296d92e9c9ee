import Foundation

/// What a batch of new spend log entries adds to the stored totals, summed before it is written: one update per key
/// and one per key, UTC day and model, however many entries the batch holds (not three statements an entry).
struct SpendTotals {
    /// A key's calls on one model on one UTC day.
    struct Day: Hashable {
        let keyHash: String
        /// Days since 1970-01-01 (UTC).
        let dayNumber: Int
        let model: String
    }

    /// What those calls add up to. Sums saturate: token counts come from model servers and are not trusted.
    struct Sums {
        var requests = 0
        var promptTokens = 0
        var completionTokens = 0
        var spend = Nanodollars(value: 0)
    }

    /// The spend each key adds.
    private(set) var byKey: [String: Nanodollars] = [:]
    /// What each key adds to each of its days and models.
    private(set) var byDay: [Day: Sums] = [:]
    /// The `YYYY-MM-DD` text of each day seen, made once a day rather than once an entry.
    private var dayTexts: [Int: String] = [:]

    /// Counts `entry`.
    mutating func add(_ entry: SpendLogEntry) {
        let spend = Nanodollars(entry.spend)
        byKey[entry.keyHash] = (byKey[entry.keyHash] ?? Nanodollars(value: 0)) + spend
        let seconds = entry.startTime.timeIntervalSince1970
        let dayNumber = seconds.isFinite ? Int(max(min((seconds / 86_400).rounded(.down), 1e12), -1e12)) : 0
        if dayTexts[dayNumber] == nil { dayTexts[dayNumber] = DailySpend.day(of: entry.startTime) }
        byDay[Day(keyHash: entry.keyHash, dayNumber: dayNumber, model: entry.model), default: Sums()].add(entry, spend)
    }

    /// The `YYYY-MM-DD` text of `day`.
    func text(of day: Day) -> String { dayTexts[day.dayNumber] ?? "" }
}

extension SpendTotals.Sums {
    fileprivate mutating func add(_ entry: SpendLogEntry, _ spend: Nanodollars) {
        requests = Self.saturating(requests, 1)
        promptTokens = Self.saturating(promptTokens, entry.promptTokens)
        completionTokens = Self.saturating(completionTokens, entry.completionTokens)
        self.spend = self.spend + spend
    }

    private static func saturating(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
