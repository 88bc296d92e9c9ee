import AsyncHTTPClient
import CatenaTestServices
import Foundation

/// `catena serve` in a process of its own, as a replica runs, on a free loopback port.
final class GatewayProcess: Sendable {
    /// The built `catena` binary, beside the test binary in the build folder.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("catena")

    let process: Process
    /// `http://127.0.0.1:PORT`.
    let baseURL: String

    private init(process: Process, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    /// Starts `catena serve` with the configuration `yaml` and waits until it listens; its log goes to the file
    /// `log` names (`nil`: nowhere).
    static func start(_ yaml: String, environment: [String: String] = [:], log: String? = nil) async throws
        -> GatewayProcess
    {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).yaml")
            .path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--config", path, "--port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let output = Pipe()
        process.standardOutput = output
        if let log { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        process.standardError = log.flatMap { FileHandle(forWritingAtPath: $0) } ?? FileHandle.nullDevice
        try process.run()
        let line = await output.firstLine()
        guard let url = line.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/) else {
            process.killAndWait()
            throw GatewayProcessError(message: "catena serve printed '\(line)' instead of its address")
        }
        return GatewayProcess(process: process, baseURL: String(url.output))
    }

    /// The gateway's endpoints through `http`.
    func client(_ http: HTTPClient) -> RunningGateway { RunningGateway(baseURL: baseURL, http: http) }

    /// Sends SIGTERM and waits (at most ten seconds) for the process to end; returns its exit status.
    func terminate() async throws -> Int32 { try await process.terminateAndWait() }

    deinit { process.killAndWait() }
}

/// A replica that did not start.
struct GatewayProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
