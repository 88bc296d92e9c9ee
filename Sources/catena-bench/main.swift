import Catena
import CatenaTesting
import Foundation

// Catena's per-call framework overhead with in-process models, matching ../shared/peers/lc_bench.py and lc_mem.py.
// Build and run in release: `swift run -c release catena-bench`.

if CommandLine.arguments.dropFirst().first == "profile-chain" {
    // A fixed workload for a profiler: 20,000 invokes of prompt | chat | parser.
    try await Task.detached { try await profileChain() }.value
    exit(0)
}
let rows = try await Task.detached { try await runBenchmarks() }.value
print("Catena benchmark (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
printTable(rows)
