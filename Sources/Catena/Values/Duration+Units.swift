extension Duration {
    /// The duration in seconds.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds (rounded toward zero), saturating at the bounds of `Int64`.
    package var milliseconds: Int64 { whole(unitsPerSecond: 1000) }

    /// Whole nanoseconds (rounded toward zero), saturating at the bounds of `Int64` (for NIO's `TimeAmount`).
    package var nanoseconds: Int64 { whole(unitsPerSecond: 1_000_000_000) }

    /// Whole units of `1 / unitsPerSecond` seconds, saturating instead of trapping for durations beyond `Int64`.
    private func whole(unitsPerSecond: Int64) -> Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unitsPerSecond)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(
            attoseconds / (1_000_000_000_000_000_000 / unitsPerSecond))
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return sum
    }
}
