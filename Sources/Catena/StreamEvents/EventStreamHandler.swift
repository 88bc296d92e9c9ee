import Foundation
import Synchronization

/// Turns callback events into ``StreamEvent``s: what ``Runnable/streamEvents(_:config:filter:)`` attaches to the run.
final class EventStreamHandler: EventCallbackHandler {
    private let filter: StreamEventFilter
    private let emit: @Sendable (StreamEvent) -> Void
    /// Parent and input of every run seen, for `parent_ids` and the input of model end events.
    private let runs = Mutex<[UUID: (parent: UUID?, input: RunValue?)]>([:])

    init(filter: StreamEventFilter, emit: @escaping @Sendable (StreamEvent) -> Void) {
        self.filter = filter
        self.emit = emit
    }

    func handle(_ event: CallbackEvent) {
        guard case (let suffix, var data)? = Self.describe(event) else { return }
        let run = event.run
        if suffix == "start" {
            runs.withLock { $0[run.id] = (run.parentID, data.input) }
        } else if suffix == "end", run.type != .chain {
            // As in LangChain, end events of models, prompts, parsers and tools repeat the run's input.
            data.input = runs.withLock { $0[run.id]?.input }
        }
        let parents = parentIDs(of: run)
        if case .customEvent(_, let name, _) = event {
            guard filter.admits(name: name, type: nil, tags: run.tags) else { return }
            emit(StreamEvent(event: "on_custom_event", name: name, runID: run.id, parentIDs: parents, tags: run.tags,
                             metadata: run.metadata, runType: nil, data: data))
            return
        }
        guard filter.admits(name: run.name, type: run.type, tags: run.tags) else { return }
        emit(StreamEvent(event: "on_\(run.type.rawValue)_\(suffix)", name: run.name, runID: run.id, parentIDs: parents,
                         tags: run.tags, metadata: run.metadata, runType: run.type, data: data))
    }

    /// The ids of the run's ancestors seen by this handler, root first.
    private func parentIDs(of run: RunInfo) -> [UUID] {
        runs.withLock { runs in
            var ids: [UUID] = []
            var next = runs[run.id]?.parent ?? run.parentID
            while let id = next, let known = runs[id] {
                ids.append(id)
                next = known.parent
            }
            return ids.reversed()
        }
    }

    /// The event-name suffix and payload of a callback event, or `nil` for events that stream events leave out
    /// (errors surface as the stream's error; text and retries are not part of the v2 schema).
    private static func describe(_ event: CallbackEvent) -> (String, StreamEvent.Data)? {
        switch event {
        case .llmStart(_, let prompts, _):
            return ("start", .init(input: RunValue(JSONValue.object(["prompts": .array(prompts.map { .string($0) })]))))
        case .chatModelStart(_, let messages, _):
            return ("start", .init(input: RunValue(["messages": messages])))
        case .chainStart(_, let inputs):
            return ("start", .init(input: inputs.json == .null ? nil : inputs))
        case .toolStart(_, let input):
            return ("start", .init(input: RunValue(input)))
        case .retrieverStart(_, let query):
            return ("start", .init(input: RunValue(JSONValue.object(["query": .string(query)]))))
        case .llmNewToken(let run, _, let chunk):
            let value: any Sendable = run.type == .chatModel ? (chunk?.message ?? .assistant(chunk?.text ?? "")) : (chunk ?? Generation(text: ""))
            return ("stream", .init(chunk: RunValue(value)))
        case .chainStream(_, let chunk):
            return ("stream", .init(chunk: chunk))
        case .llmEnd(let run, let result):
            let output: any Sendable = run.type == .chatModel ? (result.generations.first?.first?.assistantMessage ?? .assistant("")) : result
            return ("end", .init(output: RunValue(output)))
        case .chainEnd(_, let outputs):
            return ("end", .init(output: outputs))
        case .toolEnd(_, let output):
            return ("end", .init(output: RunValue(output)))
        case .retrieverEnd(_, let documents):
            return ("end", .init(output: RunValue(documents)))
        case .customEvent(_, _, let data):
            return ("custom", .init(custom: data))
        case .llmError, .chainError, .toolError, .retrieverError, .text, .retry:
            return nil
        }
    }
}
