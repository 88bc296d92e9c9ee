import Catena

extension RunnableStream {
    /// The stream with `transform` applied to each element, skipping the elements it maps to `nil`.
    func compactMapChunks<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T?) -> RunnableStream<T> {
        compactMapChunks(state: ()) { _, element in try transform(element) }
    }

    /// The stream with `transform` applied to each element and to state that lives as long as one iteration
    /// (starting from `state`), skipping the elements it maps to `nil`.
    func compactMapChunks<T: Sendable, State: Sendable>(
        state: State, _ transform: @escaping @Sendable (inout State, Element) throws -> T?
    ) -> RunnableStream<T> {
        let source = self
        return RunnableStream<T> {
            var iterator = source.makeAsyncIterator()
            var state = state
            return {
                while let element = try await iterator.next(isolation: #isolation) {
                    if let mapped = try transform(&state, element) { return mapped }
                }
                return nil
            }
        }
    }
}
