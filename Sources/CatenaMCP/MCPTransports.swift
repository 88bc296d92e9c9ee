import Foundation

/// The transport each configuration needs.
enum MCPTransports {
    /// The transport to `configuration`'s server, and its process for a stdio server (started here).
    /// - Throws: ``MCPServerError`` (`unreachable`) when the process cannot be started.
    static func make(for configuration: MCPServerConfiguration) throws -> (any MCPTransport, Process?) {
        switch configuration.transport {
        case .stdio(let command, let environment):
            let (input, output) = (Pipe(), Pipe())
            let process = try started(
                command, environment: environment, input: input, output: output, server: configuration.name)
            let transport = PipeTransport(
                reading: output.fileHandleForReading, writing: input.fileHandleForWriting)
            return (transport, process)
        case .http(let url):
            return (StreamableHTTPTransport(endpoint: url), nil)
        }
    }

    /// `command` started with `input` and `output` as its standard input and output; its standard error goes to this
    /// process's.
    private static func started(
        _ command: [String], environment: [String: String], input: Pipe, output: Pipe, server: String
    ) throws -> Process {
        guard let program = command.first else {
            throw MCPServerError(server: server, reason: .unreachable("the command is empty"))
        }
        // A server that exits while a request is written to it must fail the request, not end this process.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + command.dropFirst()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw MCPServerError(server: server, reason: .unreachable("\(program) could not be started: \(error)"))
        }
        return process
    }
}
