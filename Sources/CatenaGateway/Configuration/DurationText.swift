import Foundation

/// A duration as LiteLLM writes one: a number and a unit, `30s`, `10m`, `24h` or `30d`.
enum DurationText {
    /// The seconds `text` stands for; `nil` unless it is a positive number (under ten million) and one of the units.
    static func seconds(in text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count.isFinite,
            count > 0,
            count < 1e7
        else { return nil }
        return count * unit
    }
}

extension KeyedDecodingContainer where Key == ConfigKey {
    /// A duration such as `30d` under `name`, in seconds, if present.
    func duration(_ name: String) throws -> TimeInterval? {
        guard let text = try optional(name, as: String.self) else { return nil }
        guard let seconds = DurationText.seconds(in: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [ConfigKey(name)],
                    debugDescription: "expected a number and a unit, s, m, h or d, such as 30d (got '\(text)')"))
        }
        return seconds
    }
}
