import Foundation

/// Whether output cut at a stop sequence keeps the stop sequence.
public enum StopSequenceHandling: Sendable, Hashable {
    /// Cut before the stop sequence (what OpenAI-compatible servers do).
    case exclude
    /// Cut after the stop sequence.
    case include
}

/// Cuts streamed text at the first stop sequence, even when the sequence spans chunks.
///
/// Text that could be the start of a stop sequence is held back until the next chunk shows whether it is.
/// A pure state machine: feed chunks, then call ``finish()`` for what is held back.
struct StopSequenceFilter {
    let stops: [String]
    let handling: StopSequenceHandling
    private var held = ""
    /// Whether a stop sequence was found; nothing more is emitted after it.
    private(set) var stopped = false

    init(stops: [String], handling: StopSequenceHandling) {
        self.stops = stops.filter { !$0.isEmpty }
        self.handling = handling
    }

    /// The text of `chunk` that is safe to emit now.
    mutating func feed(_ chunk: String) -> String {
        guard !stopped else { return "" }
        let text = held + chunk
        held = ""
        if let cut = Self.cut(text, at: stops, handling: handling) {
            stopped = true
            return cut
        }
        let keep = longestStopPrefixSuffix(of: text)
        held = String(text.suffix(keep))
        return String(text.dropLast(keep))
    }

    /// What was held back, once the stream has ended.
    mutating func finish() -> String {
        defer { held = "" }
        return stopped ? "" : held
    }

    /// `text` cut at its earliest stop sequence, or `nil` when it contains none.
    static func cut(_ text: String, at stops: [String], handling: StopSequenceHandling) -> String? {
        let earliest = stops.compactMap { text.range(of: $0) }.min { $0.lowerBound < $1.lowerBound }
        guard let range = earliest else { return nil }
        return String(text[..<(handling == .exclude ? range.lowerBound : range.upperBound)])
    }

    /// Length of the longest suffix of `text` that is a proper prefix of a stop sequence.
    private func longestStopPrefixSuffix(of text: String) -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, text.count)
            while length > longest {
                if text.hasSuffix(stop.prefix(length)) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}
