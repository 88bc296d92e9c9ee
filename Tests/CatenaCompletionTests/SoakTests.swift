import CatenaSoak
import Foundation
import Testing

/// A 500-call fault soak against the fault server in another process (`catena-bench soak` runs 10,000).
@Suite("Fault soak", .timeLimit(.minutes(3)))
struct SoakTests {
    @Test("500 calls with random faults, 32 at once: each ends once, as its fault requires, with every event and token")
    func shortSoak() async throws {
        // The test binary sits beside the package's executables in the build folder.
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("catena-bench")
        let server = try SoakServerProcess(executable: bench)
        defer { server.stop() }
        let report = try await Soak.run(.init(baseURL: server.baseURL, calls: 500, seed: 17))
        #expect(report.passed, "\(report.summary)")
        #expect(report.answered + report.failedAsExpected == 500)
        #expect(report.faults.count == SoakFault.allCases.count)
    }
}
