package import Foundation
import Synchronization

/// MCP's stdio transport over a child process's pipes: one JSON-RPC message per line, read by a thread of its own
/// blocked in `read` (the SDK's stdio transport polls non-blocking descriptors every 10 ms, which added 10 ms to
/// every call: the row "MCP tool call over stdio (echo), round trip"). A message past 16 MiB is dropped: its request
/// times out, naming the server.
final class PipeTransport: MCPTransport {
    /// The server's standard output.
    private let input: FileHandle
    /// The server's standard input, one message written at a time.
    private let output: Mutex<FileHandle>
    let messages: AsyncThrowingStream<[UInt8], any Error>
    private let received: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(reading input: FileHandle, writing output: FileHandle) {
        self.input = input
        self.output = Mutex(output)
        (messages, received) = AsyncThrowingStream.makeStream()
    }

    func start() async throws {
        Thread.detachNewThread { [self] in readLines() }
    }

    func close() async {
        output.withLock { try? $0.close() }
        received.finish()
    }

    /// Writes `message` and a line end.
    /// - Throws: ``MCPSessionEnded`` when the server's input is closed (its process ended).
    func send(_ message: [UInt8], expectingAnswer: Bool) async throws -> [UInt8]? {
        do {
            try output.withLock { try $0.write(contentsOf: message + [UInt8(ascii: "\n")]) }
        } catch {
            throw MCPSessionEnded(reason: "the server's input is closed")
        }
        return nil
    }

    /// Reads the server's output until it ends, handing on each line.
    private func readLines() {
        var lines = MCPLineReader()
        while true {
            let chunk = input.availableData
            guard !chunk.isEmpty else { break }
            for line in lines.feed(chunk) { received.yield(Array(line)) }
        }
        received.finish()
    }
}

/// Splits a stdio server's output into its messages, one per line: bytes split anywhere give the same messages;
/// an empty line is none; a message past ``limit`` bytes is dropped whole.
package struct MCPLineReader: Sendable {
    /// The longest message kept.
    package let limit: Int
    private var pending = Data()
    /// Whether the message in progress passed the limit, and is being dropped.
    private var dropping = false

    /// A reader keeping messages of at most `limit` bytes (16 MiB by default).
    package init(limit: Int = 16 * 1024 * 1024) {
        self.limit = limit
    }

    /// The messages `chunk` completes, in order.
    package mutating func feed(_ chunk: Data) -> [Data] {
        var lines: [Data] = []
        // Only the new bytes are searched for line ends: a long message arrives in many chunks.
        var searched = pending.count
        pending.append(chunk)
        while let end = pending[(pending.startIndex + searched)...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<end]
            if !dropping && !line.isEmpty && line.count <= limit { lines.append(Data(line)) }
            dropping = false
            pending.removeSubrange(pending.startIndex...end)
            searched = 0
        }
        if pending.count > limit {
            pending.removeAll()
            dropping = true
        }
        return lines
    }
}
