import Catena
import CatenaTesting
import Foundation

// Catena's per-call framework overhead with in-process models, matching ../shared/peers/lc_bench.py, lc_mem.py,
// litellm_bench.py and litellm_mem.py.
// Build and run in release: `swift run -c release catena-bench`.

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "inflight" {
    // One in-flight memory measurement, run by the benchmark in a fresh process: `inflight catena|bare`.
    try await Task.detached { try await inFlight(arguments.last!) }.value
    exit(0)
}
if arguments.first == "completion" {
    // The completion rows alone.
    printTable(try await Task.detached { try await runCompletionBenchmarks() }.value)
    exit(0)
}
if let workload = arguments.first {
    // A fixed workload for a profiler (`perf record`): chain, events, http, stream or invoke.
    try await Task.detached { try await profile(workload) }.value
    exit(0)
}
var rows = try await Task.detached { try await runBenchmarks() }.value
rows += try await Task.detached { try await runHTTPBenchmarks() }.value
rows += try await Task.detached { try await runCompletionBenchmarks() }.value
print("Catena benchmark (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
printTable(rows)
