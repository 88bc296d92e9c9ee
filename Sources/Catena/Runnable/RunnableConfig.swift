public import Foundation

/// Per-call options for a runnable: tags, metadata, handlers, run name and id, concurrency and configurable values.
///
/// Tags, metadata and `callbacks` are inherited by every run started inside the call; `localCallbacks`,
/// `runName` and `runID` apply to the call's own run only.
///
/// ```swift
/// let answer = try await chain.invoke(["input": "hi"], config: .init(tags: ["demo"], callbacks: [ConsoleTracer()]))
/// ```
public struct RunnableConfig: Sendable {
    /// Tags for this run and its descendants.
    public var tags: [String]
    /// Metadata for this run and its descendants.
    public var metadata: [String: JSONValue]
    /// Handlers for this run and its descendants.
    public var callbacks: [any CallbackHandler]
    /// Handlers for this run only.
    public var localCallbacks: [any CallbackHandler]
    /// The name of this run (defaults to the runnable's name).
    public var runName: String?
    /// The id of this run (defaults to a random id).
    public var runID: UUID?
    /// The most inputs a batch runs at once (`nil`: all at once).
    public var maxConcurrency: Int?
    /// Values for configurable fields and alternatives, by id.
    public var configurable: [String: JSONValue]

    /// Creates a configuration; every field is optional.
    public init(
        tags: [String] = [],
        metadata: [String: JSONValue] = [:],
        callbacks: [any CallbackHandler] = [],
        localCallbacks: [any CallbackHandler] = [],
        runName: String? = nil,
        runID: UUID? = nil,
        maxConcurrency: Int? = nil,
        configurable: [String: JSONValue] = [:]
    ) {
        self.tags = tags
        self.metadata = metadata
        self.callbacks = callbacks
        self.localCallbacks = localCallbacks
        self.runName = runName
        self.runID = runID
        self.maxConcurrency = maxConcurrency
        self.configurable = configurable
    }

}
