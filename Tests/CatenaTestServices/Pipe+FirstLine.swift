public import Foundation

extension Pipe {
    /// The first line written to the pipe, without its newline, read on a thread of its own: blocking a thread of the
    /// concurrency pool (two on a 2-core machine) would stall every other test meanwhile.
    public func firstLine() async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let byte = self.fileHandleForReading.readData(ofLength: 1)
                    guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
                    bytes.append(first)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}
