import Foundation

/// What a soak saw: how its calls ended, what they broke, and how memory grew.
public struct SoakReport: Sendable {
    /// Calls run.
    public let calls: Int
    /// Calls run before memory is first sampled.
    public let warmUp: Int
    /// Calls that answered.
    public var answered = 0
    /// Calls that failed as their fault says they must (the rest of the calls that did not hang).
    public var failedAsExpected = 0
    /// Calls still running at their deadline.
    public var hung = 0
    /// Every broken rule, one line each.
    public var violations: [String] = []
    /// Dropped streams whose last parts the transport discarded (see `SoakCallResult.lostInTransport`).
    public var lostInTransport = 0
    /// How many calls ran of each fault.
    public var faults: [SoakFault: Int] = [:]
    /// Resident memory after the warm-up and at the end.
    public var residentBytesAfterWarmUp = 0, residentBytesAtEnd = 0
    /// The soak's wall time.
    public var duration: Duration = .zero

    init(calls: Int, warmUp: Int) {
        self.calls = calls
        self.warmUp = warmUp
    }

    /// Resident memory growth per call after the warm-up, in bytes.
    public var growthPerCall: Double {
        Double(residentBytesAtEnd - residentBytesAfterWarmUp) / Double(max(1, calls - warmUp))
    }

    /// Whether every call ended as it must and none hung.
    public var passed: Bool { violations.isEmpty && hung == 0 }

    mutating func record(_ call: SoakCall, _ result: SoakCallResult?) {
        faults[call.fault, default: 0] += 1
        guard let result else {
            hung += 1
            violations.append("call \(call.index) (\(call.fault.rawValue), \(call.mode.rawValue)) hung")
            return
        }
        violations += result.violations
        if result.lostInTransport { lostInTransport += 1 }
        if case .answer = call.fault.expected(streaming: call.mode.streams) {
            answered += 1
        } else {
            failedAsExpected += 1
        }
    }

    /// A summary for people: counts, memory and the first violations.
    public var summary: String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        var lines = [
            "soak: \(calls) calls in \(String(format: "%.1f", seconds)) s, \(answered) answered, "
                + "\(failedAsExpected) failed as their fault requires, \(hung) hung, \(violations.count) violations",
            "faults: " + SoakFault.allCases.map { "\($0.rawValue) \(faults[$0] ?? 0)" }.joined(separator: ", "),
            "dropped streams whose last parts AsyncHTTPClient discarded before handing them over: \(lostInTransport)",
            "resident memory: \(residentBytesAfterWarmUp / 1024) KiB after \(warmUp) warm-up calls, "
                + "\(residentBytesAtEnd / 1024) KiB at the end: \(String(format: "%.0f", growthPerCall)) bytes per call",
        ]
        lines += violations.prefix(20)
        if violations.count > 20 { lines.append("… and \(violations.count - 20) more violations") }
        return lines.joined(separator: "\n")
    }
}
