/// Commands to one Redis server over one pipelined connection, made on first use and made again after it breaks;
/// while the server is away, commands fail fast (after `commandTimeout` at most). For Catena's own Redis users:
/// the response cache and the gateway's shared limits.
package final class RedisClient: Sendable {
    /// The server's host.
    package let host: String
    /// The server's port.
    package let port: Int
    /// Longest wait for a connection or a reply.
    package let commandTimeout: Duration
    private let connections = ConnectionHolder()

    /// A client for `host:port`; nothing connects until the first command.
    package init(host: String, port: Int, commandTimeout: Duration) {
        self.host = host
        self.port = port
        self.commandTimeout = commandTimeout
    }

    /// Sends a command of text arguments.
    /// - Throws: ``RedisError``; an error reply is ``RedisError/server(_:)``.
    package func send(_ arguments: [String]) async throws -> RESPValue {
        try await send(arguments.map { Array($0.utf8) })
    }

    /// Sends a command on the current connection; a broken connection is dropped so the next command reconnects.
    /// - Throws: ``RedisError``; an error reply is ``RedisError/server(_:)``.
    package func send(_ arguments: [[UInt8]]) async throws -> RESPValue {
        let connection = try await connections.connection(host: host, port: port, timeout: commandTimeout)
        do {
            return try await connection.send(arguments, timeout: commandTimeout)
        } catch let error as RedisError {
            if case .server = error {} else { await connections.drop(connection) }
            throw error
        }
    }

    /// Closes the connection.
    package func shutdown() async {
        await connections.close()
    }
}

/// The open connection, made on demand by one caller at a time.
private actor ConnectionHolder {
    private var current: RESPConnection?

    func connection(host: String, port: Int, timeout: Duration) async throws -> RESPConnection {
        if let current, current.isActive { return current }
        let connection = try await RESPConnection.connect(host: host, port: port, timeout: timeout)
        current = connection
        return connection
    }

    func drop(_ connection: RESPConnection) async {
        if current === connection { current = nil }
        await connection.close()
    }

    func close() async {
        await current?.close()
        current = nil
    }
}
