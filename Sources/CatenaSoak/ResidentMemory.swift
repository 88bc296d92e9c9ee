import Foundation

/// Peak and current resident memory from /proc (Linux), in KiB: for the soak and the benchmark.
package enum ResidentMemory {
    /// A `/proc/self/status` field's value in KiB (0 where there is none).
    package static func field(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    /// The peak resident memory since the start or the last reset.
    package static var peakKiB: Double { field("VmHWM") }
    /// The resident memory now.
    package static var currentKiB: Double { field("VmRSS") }

    /// Resets the peak to the current size (writing 5 to clear_refs); false where the kernel refuses.
    package static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}
