public import Foundation

/// Everything known about one run: identity, inputs, outputs or error, tags, metadata, timings, every event in
/// order, and the runs started inside it. What ``RunCollector`` keeps and what
/// ``Runnable/withListeners(onStart:onEnd:onError:)`` hands to listeners.
///
/// The run's identity fields (`id`, `parentID`, `name`, `type`, `tags`, `metadata`) read through from ``run``.
///
/// ```swift
/// func printTree(_ record: RunRecord, depth: Int = 0) {
///     print(String(repeating: "  ", count: depth) + record.name, record.events.map(\.name))
///     for child in record.children { printTree(child, depth: depth + 1) }
/// }
/// ```
@dynamicMemberLookup
public struct RunRecord: Sendable {
    /// The run's identity.
    public let run: RunInfo
    /// The input: prompts or messages for model runs, the input value otherwise.
    public var inputs: RunValue
    /// The output, once ended.
    public var outputs: RunValue?
    /// The error, if it failed.
    public var error: (any Error)?
    /// When the run started.
    public let startTime: Date
    /// When the run ended or failed.
    public var endTime: Date?
    /// The run's events in order, from its start to its end or error: tokens, stream chunks, retries, text and
    /// custom events between them.
    public var events: [Event]
    /// The runs started directly inside this one, in start order, as far as the one who built the record saw them.
    public var children: [RunRecord] = []

    /// One event of a run with the time it was seen.
    public struct Event: Sendable {
        /// When the event was seen.
        public let time: Date
        /// What happened.
        public let payload: CallbackEvent.Payload

        /// The event's hook name (`on_llm_new_token`, …).
        public var name: String { payload.hookName }
    }

    /// A field of the run's identity (`record.name`, `record.tags`, …).
    public subscript<Value>(dynamicMember keyPath: KeyPath<RunInfo, Value>) -> Value { run[keyPath: keyPath] }

    /// Whether the run has ended or failed.
    public var isFinished: Bool { endTime != nil }

    /// How long the run took (so far, if it is still running).
    public var duration: TimeInterval { (endTime ?? Date()).timeIntervalSince(startTime) }

    /// The number of tokens with text a model run reported (a stream's chunks that carry only its role, finish
    /// reason or usage report an empty token: not counted).
    public var tokenCount: Int {
        events.count { event in if case .llmNewToken(let token, _) = event.payload { !token.isEmpty } else { false } }
    }

    /// The number of retries the run reported.
    public var retryCount: Int { events.count { if case .retry = $0.payload { true } else { false } } }

    /// A record for a start event, or `nil` when `event` starts no run.
    init?(starting event: CallbackEvent, at time: Date = Date()) {
        let inputs: RunValue
        switch event.payload {
        case .llmStart(let prompts, _):
            inputs = RunValue(JSONValue.object(["prompts": .array(prompts.map { .string($0) })]))
        case .chatModelStart(let messages, _): inputs = RunValue(messages)
        case .chainStart(let value): inputs = value
        case .toolStart(let input): inputs = RunValue(input)
        case .retrieverStart(let query): inputs = RunValue(query)
        default: return nil
        }
        run = event.run
        self.inputs = inputs
        startTime = time
        events = [Event(time: time, payload: event.payload)]
    }

    /// Updates the record with a later event of the same run.
    mutating func apply(_ event: CallbackEvent, at time: Date = Date()) {
        events.append(Event(time: time, payload: event.payload))
        switch event.payload {
        case .llmEnd(let result): outputs = RunValue(result)
        case .chainEnd(let value): outputs = value
        case .toolEnd(let output): outputs = RunValue(output)
        case .retrieverEnd(let documents): outputs = RunValue(documents)
        default: error = event.error
        }
        if event.endsRun { endTime = time }
    }
}
