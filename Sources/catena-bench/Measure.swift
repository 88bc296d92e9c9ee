import Foundation

/// One row of the results table.
struct Row {
    let operation: String
    let median: Double
    let min: Double
    let max: Double
    let unit: String
    let note: String
}

extension Row {
    /// A row of per-operation times in microseconds: their median, minimum and maximum.
    init(operation: String, microseconds samples: [Double], note: String) {
        self.init(operation: operation, samples: samples, unit: "us/op", note: note)
    }

    /// A row of samples in `unit`: their median, minimum and maximum.
    init(operation: String, samples: [Double], unit: String, note: String) {
        let sorted = samples.sorted()
        self.init(
            operation: operation, median: sorted[sorted.count / 2], min: sorted[0], max: sorted[sorted.count - 1],
            unit: unit, note: note)
    }
}

/// Times `body` (which performs `operations` operations) `runs` times after one warm-up, and reports per-operation
/// figures in microseconds.
func measure(
    _ operation: String, operations: Int, runs: Int = 7, note: String = "", _ body: () async throws -> Void
) async rethrows -> Row {
    try await body()
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        samples.append(elapsed.microseconds / Double(operations))
    }
    return Row(operation: operation, microseconds: samples, note: note)
}

/// Times alternatives in alternating batches of `operations` calls (one warm-up round, then `runs` rounds), so all
/// see the same machine; reports each per call in microseconds.
func measureInterleaved(
    _ cases: [(String, @Sendable () async throws -> Void)], operations: Int, runs: Int = 7
) async throws -> [Row] {
    var samples = Array(repeating: [Double](), count: cases.count)
    for round in 0...runs {
        for (index, (_, body)) in cases.enumerated() {
            let start = ContinuousClock.now
            for _ in 0..<operations { try await body() }
            if round > 0 { samples[index].append((ContinuousClock.now - start).microseconds / Double(operations)) }
        }
    }
    return zip(cases, samples).map { Row(operation: $0.0, microseconds: $1, note: "interleaved") }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}

func format(_ value: Double) -> String {
    value >= 100
        ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.3f", value)
}

func printTable(_ rows: [Row]) {
    print("| operation | median | min | max | unit | note |")
    print("|---|---:|---:|---:|---|---|")
    for row in rows {
        print(
            "| \(row.operation) | \(format(row.median)) | \(format(row.min)) | \(format(row.max)) | \(row.unit) | \(row.note) |"
        )
    }
}
