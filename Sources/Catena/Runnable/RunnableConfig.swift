public import Foundation
public import Logging

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
    /// Where Catena logs what goes wrong around this run and its descendants without failing them (a handler that
    /// threw, a cache that failed), and what ``RunManager/logger`` gives model and tool bodies; `nil`: the
    /// enclosing run's, else a logger labelled `catena`. Lines logged inside a traced run are logged with its span
    /// as the current `ServiceContext`, so a metadata provider such as swift-otel's adds its trace and span ids.
    public var logger: Logger?

    /// Creates a configuration; every field is optional.
    public init(
        tags: [String] = [],
        metadata: [String: JSONValue] = [:],
        callbacks: [any CallbackHandler] = [],
        localCallbacks: [any CallbackHandler] = [],
        runName: String? = nil,
        runID: UUID? = nil,
        maxConcurrency: Int? = nil,
        configurable: [String: JSONValue] = [:],
        logger: Logger? = nil
    ) {
        self.tags = tags
        self.metadata = metadata
        self.callbacks = callbacks
        self.localCallbacks = localCallbacks
        self.runName = runName
        self.runID = runID
        self.maxConcurrency = maxConcurrency
        self.configurable = configurable
        self.logger = logger
    }

}
