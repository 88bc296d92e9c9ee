public import Foundation

/// One event of ``Runnable/streamEvents(_:config:filter:delivery:)``, in LangChain's v2 schema: `on_<type>_start`,
/// `on_<type>_stream`, `on_<type>_end` and `on_custom_event`.
public struct StreamEvent: Sendable {
    /// The event's fields, in one object: an event passes through the handler, the queue and the consumer, and
    /// each copy is one reference count instead of one per field. The run's name, id, tags and metadata are read
    /// from its ``RunInfo`` rather than copied into each event.
    private final class Fields: Sendable {
        let event: String
        let run: RunInfo
        /// The name of a custom event (which has no run type).
        let customName: String?
        let parentIDs: [UUID]
        let data: Data

        init(event: String, run: RunInfo, customName: String?, parentIDs: [UUID], data: Data) {
            self.event = event
            self.run = run
            self.customName = customName
            self.parentIDs = parentIDs
            self.data = data
        }
    }

    private let fields: Fields

    /// An event of `run`.
    init(event: String, run: RunInfo, parentIDs: [UUID], data: Data) {
        fields = Fields(event: event, run: run, customName: nil, parentIDs: parentIDs, data: data)
    }

    /// A custom event named `name`, dispatched inside `run`.
    init(customEventNamed name: String, run: RunInfo, parentIDs: [UUID], data: Data) {
        fields = Fields(event: "on_custom_event", run: run, customName: name, parentIDs: parentIDs, data: data)
    }

    /// The event name, such as `on_chat_model_stream`.
    public var event: String { fields.event }
    /// The run's name (or the custom event's name).
    public var name: String { fields.customName ?? fields.run.name }
    /// The run's id.
    public var runID: UUID { fields.run.id }
    /// The ids of the run's ancestors within this stream, root first.
    public var parentIDs: [UUID] { fields.parentIDs }
    /// The run's tags.
    public var tags: [String] { fields.run.tags }
    /// The run's metadata.
    public var metadata: [String: JSONValue] { fields.run.metadata }
    /// The run's type (`nil` for custom events).
    public var runType: RunType? { fields.customName == nil ? fields.run.type : nil }
    /// The payload.
    public var data: Data { fields.data }

    /// The payload of a stream event: whichever of input, output and chunk apply.
    public struct Data: Sendable {
        /// The run's input (start events, and end events of model runs).
        public var input: RunValue?
        /// The run's output (end events).
        public var output: RunValue?
        /// A chunk (stream events).
        public var chunk: RunValue?
        /// The payload of a custom event.
        public var custom: JSONValue?

        /// Creates a payload.
        public init(input: RunValue? = nil, output: RunValue? = nil, chunk: RunValue? = nil, custom: JSONValue? = nil) {
            self.input = input
            self.output = output
            self.chunk = chunk
            self.custom = custom
        }

        /// The payload as JSON (`{"input": …, "output": …, "chunk": …}`; a custom event's data as given).
        public var json: JSONValue {
            if let custom { return custom }
            var object: [String: JSONValue] = [:]
            if let input { object["input"] = input.json }
            if let output { object["output"] = output.json }
            if let chunk { object["chunk"] = chunk.json }
            return .object(object)
        }
    }

    /// The event as JSON, as `catena events` prints it.
    public var json: JSONValue {
        [
            "event": .string(event), "name": .string(name), "run_id": .string(runID.uuidString.lowercased()),
            "parent_ids": .array(parentIDs.map { .string($0.uuidString.lowercased()) }),
            "tags": .array(tags.map { .string($0) }), "metadata": .object(metadata), "data": data.json,
        ]
    }
}

/// Which events ``Runnable/streamEvents(_:config:filter:delivery:)`` yields: runs whose name, type or tags match an include
/// list (all runs when every include list is empty) and none of the exclude lists.
public struct StreamEventFilter: Sendable {
    /// Run names to include.
    public var includeNames: [String]
    /// Run types to include.
    public var includeTypes: [RunType]
    /// Tags to include.
    public var includeTags: [String]
    /// Run names to exclude.
    public var excludeNames: [String]
    /// Run types to exclude.
    public var excludeTypes: [RunType]
    /// Tags to exclude.
    public var excludeTags: [String]

    /// Creates a filter; the default lets every event through.
    public init(
        includeNames: [String] = [], includeTypes: [RunType] = [], includeTags: [String] = [],
        excludeNames: [String] = [], excludeTypes: [RunType] = [], excludeTags: [String] = []
    ) {
        self.includeNames = includeNames
        self.includeTypes = includeTypes
        self.includeTags = includeTags
        self.excludeNames = excludeNames
        self.excludeTypes = excludeTypes
        self.excludeTags = excludeTags
    }

    /// Whether an event of a run with this name, type and tags passes.
    public func admits(name: String, type: RunType?, tags: [String]) -> Bool {
        let includesAll = includeNames.isEmpty && includeTypes.isEmpty && includeTags.isEmpty
        let included =
            includesAll || includeNames.contains(name) || type.map(includeTypes.contains) == true
            || tags.contains(where: includeTags.contains)
        guard included else { return false }
        // Checked first: with no exclusion (the usual case) the run's tags are not scanned.
        if excludeNames.isEmpty && excludeTypes.isEmpty && excludeTags.isEmpty { return true }
        let excluded =
            excludeNames.contains(name) || type.map(excludeTypes.contains) == true
            || tags.contains(where: excludeTags.contains)
        return !excluded
    }
}
