public import Catena
import Foundation

extension JSONValue {
    /// The value as compact JSON bytes: what is sent, and what a request signature covers.
    public func wireBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

extension RunnableStream {
    /// The stream with `transform` applied to each element, skipping the elements it maps to `nil`.
    func compactMapChunks<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T?) -> RunnableStream<T> {
        let source = self
        return RunnableStream<T> {
            var iterator = source.makeAsyncIterator()
            return {
                while let element = try await iterator.next(isolation: #isolation) {
                    if let mapped = try transform(element) { return mapped }
                }
                return nil
            }
        }
    }
}
