import CatenaTestingServer
public import Foundation

/// The soak's fault server in a child process (`catena-bench soak-server`), so that its work and memory are not the
/// client's: the child prints its port, then serves until its standard input closes (when this process stops it or
/// ends).
public final class SoakServerProcess {
    /// The server's base URL.
    public let baseURL: String
    private let process: Process
    private let input: Pipe

    /// Starts `executable soak-server` and waits for its port.
    /// - Throws: `SoakServerProcess.StartError` when the child does not report a port.
    public init(executable: URL) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = ["soak-server"]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw StartError(output: String(decoding: line, as: UTF8.self))
        }
        baseURL = "http://127.0.0.1:\(port)/v1"
    }

    /// Stops the child and waits for it.
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The child did not print a port.
    public struct StartError: Error, CustomStringConvertible {
        /// What it printed instead.
        public let output: String
        /// What went wrong.
        public var description: String { "the soak server did not report its port (it printed \"\(output)\")" }
    }

    /// The child's side: serves ``SoakServer``, prints its port, and returns when standard input closes.
    public static func serve() async throws {
        let server = try await SoakServer.start()
        FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
        await Task.detached { _ = FileHandle.standardInput.readDataToEndOfFile() }.value
        try await server.shutdown()
    }
}
