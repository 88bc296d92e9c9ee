import CatenaRedis
import NIOCore

/// Reads arbitrary bytes as Redis replies, one after another, until they run out or stop being RESP.
enum FuzzRESP {
    static func run(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        while buffer.readableBytes > 0 {
            let before = buffer.readableBytes
            guard let reply = try? RESPValue.read(from: &buffer) else { return }
            _ = reply
            precondition(buffer.readableBytes < before, "a reply was read without consuming bytes")
        }
    }
}
