package import NIOCore

/// A reply of the Redis protocol (RESP2).
package enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    case bulkString([UInt8]?)
    case array([RESPValue]?)

    /// Writes a command (`SET key value PX 1000`) as an array of bulk strings.
    static func writeCommand(_ arguments: [[UInt8]], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.count)\r\n")
            buffer.writeBytes(argument)
            buffer.writeString("\r\n")
        }
    }

    /// The longest bulk string accepted (Redis's own limit, `proto-max-bulk-len`).
    static let maximumBulkLength = 512 << 20
    /// How deep arrays may nest, so that a hostile reply cannot exhaust the stack.
    static let maximumDepth = 64

    /// Reads one complete reply, or returns `nil` (consuming nothing) when more bytes are needed.
    /// - Throws: ``RedisError/protocolViolation(_:)`` on bytes that are not RESP, or lengths, counts and nesting
    ///   beyond the limits.
    package static func read(from buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try parse(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private static func parse(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth <= maximumDepth else {
            throw RedisError.protocolViolation("arrays nested deeper than \(maximumDepth)")
        }
        guard let type = buffer.readInteger(as: UInt8.self), let line = try readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let number = Int(line) else { throw RedisError.protocolViolation("bad integer '\(line)'") }
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(line) else { throw RedisError.protocolViolation("bad length '\(line)'") }
            if length < 0 { return .bulkString(nil) }
            guard length <= maximumBulkLength else {
                throw RedisError.protocolViolation("bulk length \(length) too long")
            }
            guard buffer.readableBytes - 2 >= length, let bytes = buffer.readBytes(length: length) else { return nil }
            guard buffer.readBytes(length: 2) == [UInt8(ascii: "\r"), UInt8(ascii: "\n")] else {
                throw RedisError.protocolViolation("bulk string not followed by CRLF")
            }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line) else { throw RedisError.protocolViolation("bad count '\(line)'") }
            if count < 0 { return .array(nil) }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, buffer.readableBytes / 3))  // each element takes 3 bytes or more
            for _ in 0..<count {
                guard let element = try parse(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RedisError.protocolViolation("unexpected type byte \(type)")
        }
    }

    /// A line up to CRLF, without it; `nil` when the CRLF has not arrived yet.
    private static func readLine(_ buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")), view.index(after: cr) < view.endIndex else {
            return nil
        }
        guard view[view.index(after: cr)] == UInt8(ascii: "\n") else {
            throw RedisError.protocolViolation("CR without LF")
        }
        let line = buffer.readString(length: cr - view.startIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }
}

/// What can go wrong talking to Redis.
public enum RedisError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached or the connection broke.
    case connection(String)
    /// The server answered with an error.
    case server(String)
    /// No reply in time.
    case timeout
    /// The bytes received are not RESP.
    case protocolViolation(String)

    /// What happened.
    public var description: String {
        switch self {
        case .connection(let reason): "Redis connection failed: \(reason)"
        case .server(let message): "Redis error: \(message)"
        case .timeout: "Redis did not answer in time"
        case .protocolViolation(let reason): "Redis sent something that is not RESP: \(reason)"
        }
    }
}
