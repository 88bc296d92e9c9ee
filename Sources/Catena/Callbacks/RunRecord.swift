public import Foundation

/// Everything known about one run: identity, inputs, outputs or error, tags, metadata, timings.
/// What ``RunCollector`` keeps and what ``Runnable/withListeners(onStart:onEnd:onError:)`` hands to listeners.
///
/// The run's identity fields (`id`, `parentID`, `name`, `type`, `tags`, `metadata`) read through from ``run``.
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
    /// Tokens reported by a model run.
    public var tokenCount: Int
    /// Retries reported by the run.
    public var retryCount: Int
    /// When the run started.
    public let startTime: Date
    /// When the run ended or failed.
    public var endTime: Date?

    /// A field of the run's identity (`record.name`, `record.tags`, …).
    public subscript<Value>(dynamicMember keyPath: KeyPath<RunInfo, Value>) -> Value { run[keyPath: keyPath] }

    /// Whether the run has ended or failed.
    public var isFinished: Bool { endTime != nil }

    /// How long the run took (so far, if it is still running).
    public var duration: TimeInterval { (endTime ?? Date()).timeIntervalSince(startTime) }

    /// A record for a start event, or `nil` when `event` starts no run.
    public init?(starting event: CallbackEvent, at time: Date = Date()) {
        let inputs: RunValue
        switch event {
        case .llmStart(_, let prompts, _): inputs = RunValue(JSONValue.object(["prompts": .array(prompts.map { .string($0) })]))
        case .chatModelStart(_, let messages, _): inputs = RunValue(messages)
        case .chainStart(_, let value): inputs = value
        case .toolStart(_, let input): inputs = RunValue(input)
        case .retrieverStart(_, let query): inputs = RunValue(query)
        default: return nil
        }
        run = event.run
        self.inputs = inputs
        tokenCount = 0
        retryCount = 0
        startTime = time
    }

    /// Updates the record with a later event of the same run.
    public mutating func apply(_ event: CallbackEvent, at time: Date = Date()) {
        switch event {
        case .llmNewToken: tokenCount += 1
        case .retry: retryCount += 1
        case .llmEnd(_, let result): finish(outputs: RunValue(result), at: time)
        case .chainEnd(_, let outputs): finish(outputs: outputs, at: time)
        case .toolEnd(_, let output): finish(outputs: RunValue(output), at: time)
        case .retrieverEnd(_, let documents): finish(outputs: RunValue(documents), at: time)
        case .llmError(_, let error, _), .chainError(_, let error), .toolError(_, let error),
            .retrieverError(_, let error):
            self.error = error
            endTime = time
        default: break
        }
    }

    private mutating func finish(outputs: RunValue, at time: Date) {
        self.outputs = outputs
        endTime = time
    }
}
