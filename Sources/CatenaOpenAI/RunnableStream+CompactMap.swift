import Catena

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
