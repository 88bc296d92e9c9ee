public import Foundation
public import Logging

/// Starts runs and hands out their run managers: the handlers, tags and metadata in force at one level of a run tree.
///
/// A runnable gets its manager from its ``RunContext/callbacks`` (already holding the config's handlers, tags and
/// metadata); `handlers`, `tags` and `metadata` given here apply to the runs this manager starts, and the
/// `inheritable…` ones also pass to their children. A run manager's ``RunManager/child(tag:)`` makes the manager
/// for the next level down, with the run as parent and an optional extra local tag (such as `seq:step:2`).
public struct CallbackManager: Sendable {
    /// Handlers that receive events of runs started here.
    var handlers: [any CallbackHandler]
    /// Handlers that also receive events of descendant runs.
    var inheritableHandlers: [any CallbackHandler]
    /// The run that runs started here belong to, `nil` at the root.
    var parentRunID: UUID?
    /// Tags of runs started here (local first, then inherited).
    var tags: [String]
    /// Tags that pass to descendant runs.
    var inheritableTags: [String]
    /// Metadata of runs started here.
    var metadata: [String: JSONValue]
    /// Metadata that passes to descendant runs.
    var inheritableMetadata: [String: JSONValue]
    /// The parent run's state, when this manager was made by a run manager: child ids derive from it.
    var parentRun: RunCore?
    /// Where Catena logs about runs started here and their descendants (`nil`: a logger labelled `catena`); see
    /// ``RunnableConfig/logger``.
    public var logger: Logger?

    /// Creates a manager.
    public init(
        handlers: [any CallbackHandler] = [],
        inheritableHandlers: [any CallbackHandler] = [],
        parentRunID: UUID? = nil,
        tags: [String] = [],
        inheritableTags: [String] = [],
        metadata: [String: JSONValue] = [:],
        inheritableMetadata: [String: JSONValue] = [:]
    ) {
        self.handlers = handlers
        self.inheritableHandlers = inheritableHandlers
        self.parentRunID = parentRunID
        self.tags = tags
        self.inheritableTags = inheritableTags
        self.metadata = metadata
        self.inheritableMetadata = inheritableMetadata
    }

    /// Adds handlers not already present (the same object attached at two levels gets each event once);
    /// inheritable ones also reach descendant runs.
    package mutating func add(handlers newHandlers: [any CallbackHandler], inheritable: Bool) {
        handlers = handlers.adding(newHandlers)
        if inheritable { inheritableHandlers = inheritableHandlers.adding(newHandlers) }
    }

    /// Waits while a ``BufferedCallbackHandler`` among the handlers is full: what a run's caller awaits before it
    /// starts the run, so a slow handler slows new work down instead of its queue growing without bound.
    ///
    /// Inlined, so that a caller with no full queue calls no async function (its frame was a tenth of the
    /// `catena-bench` row "LLM invoke, 0 handler(s)").
    @inline(__always)
    package func waitForBufferedHandlers() async {
        if handlers.holdsFullBufferedHandler { await handlers.waitForBufferedHandlers() }
    }

    /// Adds tags not already present; inheritable ones also reach descendant runs.
    mutating func add(tags newTags: [String], inheritable: Bool) {
        for tag in newTags where !tags.contains(tag) {
            tags.append(tag)
            if inheritable { inheritableTags.append(tag) }
        }
    }

    /// Adds metadata (later values win); inheritable entries also reach descendant runs.
    mutating func add(metadata newMetadata: [String: JSONValue], inheritable: Bool) {
        metadata.merge(newMetadata) { _, new in new }
        if inheritable { inheritableMetadata.merge(newMetadata) { _, new in new } }
    }

    /// Starts a chain-like run (chain, prompt, parser) and reports its start.
    public func startChain(
        name: String, type: RunType = .chain, inputs: RunValue, runID: UUID? = nil
    ) throws -> ChainRunManager {
        let core = makeRun(name: name, type: type, runID: runID)
        try core.start(.chainStart(inputs: inputs))
        return ChainRunManager(core: core)
    }

    /// Starts a text-model run and reports its prompts with the invocation parameters, which are only evaluated
    /// when a handler listens (give ``InvocationParameters/init(building:)`` to build their values only when read).
    /// The run's metadata gets `ls_provider` (the parameters' `_type`) and `ls_model_type` `llm`.
    public func startLLM(
        name: String, prompts: [String], parameters: @autoclosure () -> InvocationParameters, runID: UUID? = nil
    ) throws -> LLMRunManager {
        let core = makeRun(name: name, type: .llm, runID: runID, parameters: parameters())
        try core.start(.llmStart(prompts: prompts, parameters: core.modelParameters))
        return LLMRunManager(core: core)
    }

    /// Starts a chat-model run and reports its messages with the invocation parameters, which are only evaluated
    /// when a handler listens (give ``InvocationParameters/init(building:)`` to build their values only when read).
    /// The run's metadata gets `ls_provider` (the parameters' `_type`) and `ls_model_type` `chat`.
    public func startChatModel(
        name: String, messages: [[Message]], parameters: @autoclosure () -> InvocationParameters, runID: UUID? = nil
    ) throws -> LLMRunManager {
        let core = makeRun(name: name, type: .chatModel, runID: runID, parameters: parameters())
        try core.start(.chatModelStart(messages: messages, parameters: core.modelParameters))
        return LLMRunManager(core: core)
    }

    /// Starts an embedding model run and reports its texts as the prompts, with the invocation parameters (only
    /// evaluated when a handler listens). End it with an ``LLMResult`` without generations whose `llmOutput`
    /// holds the `token_usage`.
    public func startEmbedding(
        name: String, inputs: [String], parameters: @autoclosure () -> InvocationParameters, runID: UUID? = nil
    ) throws -> LLMRunManager {
        let core = makeRun(name: name, type: .embedding, runID: runID, parameters: parameters())
        try core.start(.llmStart(prompts: inputs, parameters: core.modelParameters))
        return LLMRunManager(core: core)
    }

    /// Starts a tool run and reports its input.
    public func startTool(name: String, input: JSONValue, runID: UUID? = nil) throws -> ToolRunManager {
        let core = makeRun(name: name, type: .tool, runID: runID)
        try core.start(.toolStart(input: input))
        return ToolRunManager(core: core)
    }

    /// Starts a retriever run and reports its query.
    public func startRetriever(name: String, query: String, runID: UUID? = nil) throws -> RetrieverRunManager {
        let core = makeRun(name: name, type: .retriever, runID: runID)
        try core.start(.retrieverStart(query: query))
        return RetrieverRunManager(core: core)
    }

    /// Reports a custom event on the parent run (what ``RunContext/dispatchCustomEvent(_:data:)`` calls).
    /// - Throws: ``CatenaError`` when there is no parent run to attach the event to.
    public func dispatchCustomEvent(_ name: String, data: JSONValue) throws {
        guard let parentRunID else {
            throw CatenaError(
                .noParentRun,
                "custom event '\(name)' was dispatched outside of a run; dispatch it from inside a runnable")
        }
        let run = RunInfo(id: parentRunID, parentID: nil, name: name, type: .chain, tags: tags, metadata: metadata)
        try HandlerDispatch.dispatch(
            CallbackEvent(run, .customEvent(name: name, data: data)), to: handlers, logger: logger)
    }

    private func makeRun(
        name: String, type: RunType, runID: UUID?, parameters: @autoclosure () -> InvocationParameters? = nil
    ) -> RunCore {
        let run = RunInfo(
            id: runID ?? (handlers.isEmpty ? RunCore.untracedID : parentRun?.nextChildID() ?? .unique()),
            parentID: parentRunID, name: name, type: type, tags: tags, metadata: metadata,
            parameters: handlers.isEmpty ? nil : parameters())
        return RunCore(run: run, manager: self)
    }
}

extension [any CallbackHandler] {
    /// These handlers followed by those of `new` not among them (nor repeated in `new`).
    fileprivate func adding(_ new: [any CallbackHandler]) -> [any CallbackHandler] {
        // Appending to an empty array would copy the new handlers into a fresh buffer: share theirs instead.
        if isEmpty && !new.hasRepeats { return new }
        var merged = self
        for handler in new where !merged.contains(where: { $0 === handler }) { merged.append(handler) }
        return merged
    }

    /// Whether some handler appears twice.
    private var hasRepeats: Bool {
        indices.contains { index in self[..<index].contains { $0 === self[index] } }
    }
}
