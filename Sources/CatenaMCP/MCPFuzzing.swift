import Catena
import Foundation

/// What the fuzz target `mcp` exercises: a stdio server's output read into messages, and each message read as a
/// tool call's result, a tool list, a prompt's messages and an error, as a connection reads them.
package enum MCPFuzzing {
    /// Reads `bytes` as a server's output; traps only when a property that must hold for every input is broken.
    package static func read(_ bytes: [UInt8]) {
        var whole = MCPLineReader(limit: 4096)
        let lines = whole.feed(Data(bytes))
        var pieces = MCPLineReader(limit: 4096)
        var pieced: [Data] = []
        for start in stride(from: 0, to: bytes.count, by: 7) {
            pieced += pieces.feed(Data(bytes[start..<min(start + 7, bytes.count)]))
        }
        precondition(lines == pieced, "the messages depend on how the bytes were split")
        precondition(lines.allSatisfy { !$0.isEmpty && $0.count <= 4096 && !$0.contains(UInt8(ascii: "\n")) })
        for line in lines {
            guard let message = try? JSONValue(parsing: Array(line)) else { continue }
            _ = MCPToolResult(json: message["result"] ?? message).text
            for tool in message["result"]?["tools"]?.arrayValue ?? [] {
                _ = tool["inputSchema"]?.jsonString
            }
            _ = (message["result"]?["messages"]?.arrayValue ?? []).compactMap(MCPContent.message)
            _ = MCPRemoteError(message["error"] ?? message).description
        }
    }
}
