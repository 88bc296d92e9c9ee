import Foundation

/// A real PostgreSQL server (Debian's `postgresql`) of one test's own, on a free loopback port, in a throwaway
/// cluster: what a test stops and starts again to see the gateway through a database outage, without touching the
/// shared server the other tests use. PostgreSQL does not run as root: as root, the cluster belongs to Debian's
/// `postgres` user.
public final class PostgresServer: Sendable {
    /// The newest installed PostgreSQL's programs.
    static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).max().map { "\(root)/\($0)/bin" }
    }()

    /// Whether PostgreSQL is installed.
    public static var isAvailable: Bool { binaries != nil }

    public let port: Int
    private let directory: String

    /// `postgres://catena@127.0.0.1:PORT/catena`.
    public var url: String { "postgres://catena@127.0.0.1:\(port)/catena" }

    private init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
    }

    /// Makes a cluster with the database `catena` and starts it.
    public static func start() async throws -> PostgresServer {
        guard binaries != nil else {
            throw PostgresServerError(message: "PostgreSQL is not installed (apt-get install postgresql)")
        }
        let directory = "/tmp/catena-test-postgres-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try run("/bin/chown", ["postgres", directory]) }
        let server = PostgresServer(port: Int.random(in: 20_000..<30_000), directory: directory)
        try server.owned(
            "initdb", ["-D", "\(directory)/data", "-U", "catena", "--auth=trust", "-E", "UTF8", "--no-sync"])
        try server.resume()
        try server.owned("createdb", ["-h", "127.0.0.1", "-p", "\(server.port)", "-U", "catena", "catena"])
        return server
    }

    /// Stops the server at once, as a crash would (connections are cut).
    public func stop() throws {
        try owned("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
    }

    /// Starts the server again on its port.
    public func resume() throws {
        try owned(
            "pg_ctl",
            [
                "-D", "\(directory)/data", "-l", "\(directory)/postgres.log", "-w", "-t", "60",
                "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ])
    }

    /// Stops the server's main process where it is (SIGSTOP): connections are accepted by the system but not
    /// answered, as a database slow to take connections does, until ``thaw()``.
    public func freeze() throws {
        try signal(SIGSTOP)
    }

    /// Lets a frozen server go on (SIGCONT).
    public func thaw() throws {
        try signal(SIGCONT)
    }

    private func signal(_ signal: Int32) throws {
        let pidFile = (try? String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8)) ?? ""
        guard let pid = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) }), kill(pid, signal) == 0 else {
            throw PostgresServerError(message: "could not signal the server (postmaster.pid: '\(pidFile.prefix(20))')")
        }
    }

    deinit {
        try? owned("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs one of PostgreSQL's programs as the cluster's owner.
    private func owned(_ program: String, _ arguments: [String]) throws {
        let path = "\(Self.binaries ?? "")/\(program)"
        if getuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            try Self.run(path, arguments)
        }
    }

    /// Runs `executable` and waits for it with `posix_spawn` and `waitpid`: Foundation's `Process` never saw
    /// `pg_ctl start` end, whose server lives on in the background.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // No other file of the tests' may reach the server (`pg_ctl start` leaves it running): it would hold open the
        // write end of another child's input, which then never ends (a test hung on it). Glibc's
        // `posix_spawn_file_actions_addclosefrom_np` is not visible to Swift, so a shell closes them before `exec`.
        let closingShell =
            #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@""#
        let argv = (["/bin/bash", "-c", closingShell, "bash", executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresServerError(message: "\(executable) did not start (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw PostgresServerError(
                message: "\(executable) \(arguments.joined(separator: " ")) exited with status \(status)")
        }
    }
}

/// A PostgreSQL server that could not be made, started or stopped.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
