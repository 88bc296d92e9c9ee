import Foundation

/// A real TLS server on a free loopback port (`openssl s_server` with a fresh self-signed certificate), owned by one
/// test: a server that does speak TLS, whose certificate no client trusts.
public final class TLSTestServer: Sendable {
    public let port: Int
    private let process: Process
    private let directory: URL

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// Makes a certificate and starts the server; returns once it listens.
    public static func start() async throws -> TLSTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catena-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("certificate.pem").path
        let request = Process()
        request.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        request.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
            "-keyout", key, "-out", certificate,
        ]
        request.standardOutput = FileHandle.nullDevice
        request.standardError = FileHandle.nullDevice
        try request.run()
        request.waitUntilExit()

        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // It prints `ACCEPT 127.0.0.1:PORT` once it listens.
        for _ in 0..<5 {
            let line = await output.firstLine()
            if line.hasPrefix("ACCEPT"), let port = line.split(separator: ":").last.flatMap({ Int($0) }) {
                return TLSTestServer(port: port, process: process, directory: directory)
            }
        }
        process.killAndWait()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl s_server did not start"])
    }

    deinit {
        process.killAndWait()
        try? FileManager.default.removeItem(at: directory)
    }
}
