import CatenaRedis
import Foundation

/// A real `redis-server` (Debian's package) on a free loopback port, owned by one test.
public final class RedisServer: Sendable {
    /// The executable, from `CATENA_REDIS_SERVER` (set by `scripts/test.sh`) or the PATH.
    public static let executable: String? = {
        if let configured = ProcessInfo.processInfo.environment["CATENA_REDIS_SERVER"] { return configured }
        return ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    public static var isAvailable: Bool { executable != nil }

    public let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a server without persistence (on `port`, or a random free one) and waits until it answers.
    public static func start(port fixedPort: Int? = nil) async throws -> RedisServer {
        guard let executable else {
            throw RedisError.connection("redis-server is not installed (apt-get install redis-server)")
        }
        for _ in 0..<5 {
            // Below the ephemeral range, apart from the model servers.
            let port = fixedPort ?? Int.random(in: 10_000..<20_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = RedisServer(port: port, process: process)
            let probe = RedisResponseCache(port: port, commandTimeout: .milliseconds(200))
            for _ in 0..<50 {
                if (try? await probe.ping()) != nil {
                    await probe.shutdown()
                    return server
                }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await probe.shutdown()
            server.stop()
        }
        throw RedisError.connection("could not start redis-server")
    }

    /// Stops the server (as a crash or restart would take it away).
    public func stop() {
        process.killAndWait()
    }

    deinit { stop() }
}
