import Catena
import CatenaSoak
import CatenaTesting
import Foundation

// Catena's per-call framework overhead with in-process models, matching ../shared/peers/lc_bench.py, lc_mem.py,
// http_bench.py, litellm_bench.py and litellm_mem.py.
// Build and run in release: `swift run -c release catena-bench [core|http|completion|gateway]` (the first three by
// default; `gateway` measures the gateway's streaming overhead per chunk);
// `catena-bench profile <workload>` runs one fixed workload for a profiler; `catena-bench soak` runs the fault soak.

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "inflight":
    // One in-flight memory measurement, run by the benchmark in a fresh process: `inflight catena|bare|completion…`.
    try await Task.detached { try await inFlight(arguments.last!) }.value
case "soak":
    // The fault soak: `soak [CALLS] [SEED]` (10,000 calls by default) against `soak-server` in a child process.
    let calls = arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000
    let seed = arguments.dropFirst(2).first.flatMap { UInt64($0) } ?? 1
    let server = try SoakServerProcess(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
    let report = try await Soak.run(.init(baseURL: server.baseURL, calls: calls, seed: seed))
    server.stop()
    print(report.summary)
    let memoryHolds = report.calls - report.warmUp < 2_000 || report.growthPerCall < 1_024
    if !memoryHolds { print("resident memory grew more than 1 KiB per call") }
    exit(report.passed && memoryHolds ? 0 : 1)
case "soak-server":
    try await SoakServerProcess.serve()
case "profile":
    // A fixed workload for a profiler (`perf record`): chain, chainstream, events, live, http, decode, completions,
    // stream, or invoke (one handler; invoke0, invoke5… for that many).
    try await Task.detached { try await profile(arguments.dropFirst().first ?? "invoke") }.value
default:
    let sections = arguments.isEmpty ? ["core", "http", "completion"] : arguments
    var rows: [Row] = []
    for section in sections {
        switch section {
        case "core": rows += try await Task.detached { try await runBenchmarks() }.value
        case "http": rows += try await Task.detached { try await runHTTPBenchmarks() }.value
        case "completion": rows += try await Task.detached { try await runCompletionBenchmarks() }.value
        case "gateway": rows += try await Task.detached { try await runGatewayBenchmarks() }.value
        case "keys": rows += try await Task.detached { try await runKeyBenchmarks() }.value
        case "agent": rows += try await Task.detached { try await runAgentBenchmarks() }.value
        case "mcp": rows += try await Task.detached { try await runMCPBenchmarks() }.value
        default:
            print(
                "usage: catena-bench [core|http|completion|gateway|keys|agent|mcp]... | soak [CALLS] [SEED] | profile <workload> | inflight <workload>"
            )
            exit(2)
        }
    }
    print("Catena benchmark (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
    printTable(rows)
}
