import Catena
import Foundation

/// One day's calls of one key on one model, summed (UTC days): what the spend log says of that day after its
/// entries are past the retention period and deleted (`general_settings.maximum_spend_logs_retention_period`).
public struct DailySpend: Sendable, Hashable {
    /// The day, `YYYY-MM-DD` in UTC.
    public var day: String
    /// The key's digest.
    public var keyHash: String
    /// The public model name asked for.
    public var model: String
    /// The calls.
    public var requests: Int
    /// Their prompt tokens.
    public var promptTokens: Int
    /// Their generated tokens.
    public var completionTokens: Int
    /// What they cost, in US dollars (summed exactly, in nanodollars).
    public var spend: Double

    /// Creates a day's total.
    public init(
        day: String, keyHash: String, model: String, requests: Int, promptTokens: Int, completionTokens: Int,
        spend: Double
    ) {
        self.day = day
        self.keyHash = keyHash
        self.model = model
        self.requests = requests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.spend = spend
    }

    /// The UTC day of `date`, `YYYY-MM-DD`.
    static func day(of date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    /// The day as `/spend/logs` shows it with `start_date` and `end_date`.
    var json: JSONValue {
        [
            "date": .string(day), "api_key": .string(keyHash), "model": .string(model), "requests": .int(requests),
            "prompt_tokens": .int(promptTokens), "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens &+ completionTokens), "spend": .double(spend),
        ]
    }
}
