public import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The built `catena` binary, run as a user runs it, for the test targets that check the command line.
public enum CatenaCommand {
    /// What a run of `catena` printed and how it ended.
    public struct Run: Sendable {
        /// The exit status.
        public let status: Int32
        /// What it printed on standard output.
        public let output: String
        /// What it printed on standard error.
        public let errors: String
        /// How long it ran.
        public let duration: Duration
    }

    /// The built `catena` binary, beside the test binary in the build folder.
    public static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("catena")

    /// Runs `catena arguments…` (or another `executable` of the build) with no server variables set and
    /// `environment` added; under `wrapper` (a command that runs another) if given; with its standard output's reading end closed at once if `outputClosed` (as
    /// `catena … | head -c 0` does). The wait happens on a thread of its own: blocking a thread of the concurrency
    /// pool (two on a 2-core machine) would stall every other test running meanwhile.
    public static func run(
        _ arguments: [String], under wrapper: [String] = [], environment: [String: String] = [:],
        outputClosed: Bool = false, executable: URL = binary
    ) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            arguments, executable: executable, under: wrapper, environment: environment,
                            outputClosed: outputClosed)
                    })
            }
        }
    }

    private static func runBlocking(
        _ arguments: [String], executable: URL, under wrapper: [String], environment: [String: String],
        outputClosed: Bool
    ) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? executable.path)
        process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [executable.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter {
            !["CATENA_BASE_URL", "OPENAI_BASE_URL", "CATENA_API_KEY", "OPENAI_API_KEY"].contains($0.key)
        }.merging(environment) { _, added in added }
        let output = Pipe(), errors = Pipe()
        // Only this child may hold the pipes (its copies are made by dup2, which keeps them open): a process another
        // test starts meanwhile would otherwise inherit them, keep the closed reading end open (the write then
        // succeeds: CI saw `complete` exit 0 rather than 141) or the writing end (the read never ends).
        for handle in [
            output.fileHandleForReading, output.fileHandleForWriting, errors.fileHandleForReading,
            errors.fileHandleForWriting,
        ] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        if outputClosed { try output.fileHandleForReading.close() }
        let printed = outputClosed ? Data() : output.fileHandleForReading.readDataToEndOfFile()
        let reported = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
            errors: String(decoding: reported, as: UTF8.self),
            duration: ContinuousClock.now - started)
    }
}
