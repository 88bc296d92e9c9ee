/// Finds the documents relevant to a query: a runnable from a query to documents, traced as a retriever run
/// (`on_retriever_start`, `on_retriever_end` or `on_retriever_error`, and the retriever events of
/// ``Runnable/streamEvents(_:config:filter:delivery:)``).
///
/// Conform by writing ``retrieve(_:)``; `invoke`, `stream`, `batch` and composition come with ``Runnable``:
///
/// ```swift
/// struct DocsSearch: Retriever {
///     func retrieve(_ query: String) async throws -> [Document] { try await searchIndex(query) }
/// }
/// let answer = try await (DocsSearch() | { docs in docs.map(\.pageContent).joined(separator: "\n") }).invoke("swift")
/// ```
public protocol Retriever: Runnable where Input == String, Output == [Document] {
    /// Finds the documents for `query`. Runs started inside (a model call, an embedding) become children of the
    /// retriever run.
    func retrieve(_ query: String) async throws -> [Document]
}

extension Retriever {
    /// Runs ``retrieve(_:)`` as a traced retriever run.
    public func invoke(_ query: String, context: RunContext) async throws -> [Document] {
        let manager = try context.callbacks.startRetriever(
            name: context.runName(default: name), query: query, runID: context.runID)
        return try await context.trace(manager) { try await retrieve(query) }
    }
}
