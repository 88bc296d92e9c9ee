import Catena
import CatenaTesting
import Foundation

// Catena's per-call framework overhead with in-process models, matching ../shared/peers/lc_bench.py and lc_mem.py.
// Build and run in release: `swift run -c release catena-bench`.

if let workload = CommandLine.arguments.dropFirst().first {
    // A fixed workload for a profiler (`perf record`): chain, stream or invoke.
    try await Task.detached { try await profile(workload) }.value
    exit(0)
}
let rows = try await Task.detached { try await runBenchmarks() }.value
print("Catena benchmark (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
printTable(rows)
