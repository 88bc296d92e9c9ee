import Foundation
import Synchronization

/// Turns callback events into ``StreamEvent``s: what ``Runnable/streamEvents(_:config:filter:delivery:)`` attaches
/// to the run.
final class EventStreamHandler: CallbackHandler {
    /// What the handler keeps of a run between its start and end.
    private struct SeenRun {
        /// The run's ancestors seen by this handler, root first.
        let parentIDs: [UUID]
        let input: RunValue?
    }

    /// The runs that have started and not ended, and the ancestors of the runs whose chunks came last.
    private struct OpenRuns {
        var seen: [UUID: SeenRun] = [:]
        /// A chunk's run is usually one of the last few (a chain's steps stream in turn): found here by identity,
        /// without hashing its id. Holding the `RunInfo` keeps its address from being reused.
        var recent: [(run: RunInfo, parentIDs: [UUID])] = []
        static let recentCapacity = 4
    }

    private let filter: StreamEventFilter
    private let emit: @Sendable (StreamEvent) -> Void
    private let runs = Mutex(OpenRuns())

    init(filter: StreamEventFilter, emit: @escaping @Sendable (StreamEvent) -> Void) {
        self.filter = filter
        self.emit = emit
    }

    func handle(_ event: CallbackEvent) {
        // The per-chunk path first, without the bookkeeping of starts and ends.
        switch event.payload {
        case .llmNewToken(_, let chunk):
            return emitChunk(of: event.run) { Self.tokenChunk(of: event.run, chunk: chunk) }
        case .chainStream(let chunk): return emitChunk(of: event.run) { chunk }
        default: break
        }
        guard case (let phase, var data)? = Self.describe(event) else { return }
        let run = event.run
        let parents = runs.withLock { runs in
            switch phase {
            case .start:
                let ancestors = Self.ancestors(below: run.parentID, in: runs.seen)
                runs.seen[run.id] = SeenRun(parentIDs: ancestors, input: data.input)
                return ancestors
            case .end:
                runs.recent.removeAll { $0.run === run }
                guard let seen = runs.seen.removeValue(forKey: run.id) else {
                    return Self.ancestors(below: run.parentID, in: runs.seen)
                }
                // As in LangChain, end events of models, prompts, parsers and tools repeat the run's input.
                if run.type != .chain { data.input = seen.input }
                return seen.parentIDs
            case .stream, .custom:
                return Self.parentIDs(of: run, in: runs.seen)
            }
        }
        if case .customEvent(let name, _) = event.payload {
            guard filter.admits(name: name, type: nil, tags: run.tags) else { return }
            emit(StreamEvent(customEventNamed: name, run: run, parentIDs: parents, data: data))
            return
        }
        guard filter.admits(name: run.name, type: run.type, tags: run.tags) else { return }
        emit(StreamEvent(event: phase.eventName(for: run.type), run: run, parentIDs: parents, data: data))
    }

    /// Emits the stream event of a chunk of `run`, if the filter admits the run (`chunk` is only made then).
    private func emitChunk(of run: RunInfo, _ chunk: () -> RunValue) {
        guard filter.admits(name: run.name, type: run.type, tags: run.tags) else { return }
        let parents = runs.withLock { runs in
            if let hit = runs.recent.first(where: { $0.run === run }) { return hit.parentIDs }
            let parents = Self.parentIDs(of: run, in: runs.seen)
            if runs.recent.count == OpenRuns.recentCapacity { runs.recent.removeFirst() }
            runs.recent.append((run, parents))
            return parents
        }
        emit(
            StreamEvent(
                event: StreamEventPhase.stream.eventName(for: run.type), run: run, parentIDs: parents,
                data: .init(chunk: chunk())))
    }

    /// The ids of the ancestors of a run that has started (or, if this handler did not see it start, of its
    /// parent), root first.
    private static func parentIDs(of run: RunInfo, in runs: [UUID: SeenRun]) -> [UUID] {
        runs[run.id]?.parentIDs ?? Self.ancestors(below: run.parentID, in: runs)
    }

    /// The chunk a new token carries in its stream event: the message chunk of a chat model, the generation of an
    /// LLM.
    private static func tokenChunk(of run: RunInfo, chunk: Generation?) -> RunValue {
        if run.type == .chatModel { return RunValue(chunk?.message ?? .assistant(chunk?.text ?? "")) }
        return RunValue(chunk ?? Generation(text: ""))
    }

    /// The ids of `parentID` and its ancestors seen by this handler, root first.
    private static func ancestors(below parentID: UUID?, in runs: [UUID: SeenRun]) -> [UUID] {
        guard let parentID, let parent = runs[parentID] else { return [] }
        return parent.parentIDs + [parentID]
    }

    /// The event-name suffix and payload of a callback event, or `nil` for events that stream events leave out
    /// (errors surface as the stream's error; text and retries are not part of the v2 schema).
    private static func describe(_ event: CallbackEvent) -> (StreamEventPhase, StreamEvent.Data)? {
        switch event.payload {
        case .llmStart(let prompts, _):
            return (.start, .init(input: RunValue(JSONValue.object(["prompts": .array(prompts.map { .string($0) })]))))
        case .chatModelStart(let messages, _):
            return (.start, .init(input: RunValue(["messages": messages])))
        case .chainStart(let inputs):
            return (.start, .init(input: inputs.json == .null ? nil : inputs))
        case .toolStart(let input):
            return (.start, .init(input: RunValue(input)))
        case .retrieverStart(let query):
            return (.start, .init(input: RunValue(JSONValue.object(["query": .string(query)]))))
        case .llmEnd(let result):
            let output: any Sendable =
                event.run.type == .chatModel
                ? (result.generations.first?.first?.assistantMessage ?? .assistant("")) : result
            return (.end, .init(output: RunValue(output)))
        case .chainEnd(let outputs):
            return (.end, .init(output: outputs))
        case .toolEnd(let output):
            return (.end, .init(output: RunValue(output)))
        case .retrieverEnd(let documents):
            return (.end, .init(output: RunValue(documents)))
        case .customEvent(_, let data):
            return (.custom, .init(custom: data))
        default:
            return nil
        }
    }
}

/// Where in its run a stream event falls; with the run type it names the event (`on_chat_model_stream`).
enum StreamEventPhase: Int, CaseIterable {
    case start, stream, end, custom

    /// Every event name, by the run type's position, then phase. Written as literals: a literal string needs no
    /// reference counting as the events naming it are copied and freed (an interpolated one is a shared object
    /// whose count every event touches, from two threads with `.live` delivery).
    private static let names: [[String]] = [
        ["on_chain_start", "on_chain_stream", "on_chain_end", "on_custom_event"],
        ["on_prompt_start", "on_prompt_stream", "on_prompt_end", "on_custom_event"],
        ["on_parser_start", "on_parser_stream", "on_parser_end", "on_custom_event"],
        ["on_llm_start", "on_llm_stream", "on_llm_end", "on_custom_event"],
        ["on_chat_model_start", "on_chat_model_stream", "on_chat_model_end", "on_custom_event"],
        ["on_tool_start", "on_tool_stream", "on_tool_end", "on_custom_event"],
        ["on_retriever_start", "on_retriever_stream", "on_retriever_end", "on_custom_event"],
    ]

    /// The event name for a run of `type` (two array reads: hashing the type's string raw value cost more).
    func eventName(for type: RunType) -> String { Self.names[Self.position(of: type)][rawValue] }

    /// The run type's row in `names`.
    private static func position(of type: RunType) -> Int {
        switch type {
        case .chain: 0
        case .prompt: 1
        case .parser: 2
        case .llm, .embedding: 3
        case .chatModel: 4
        case .tool: 5
        case .retriever: 6
        }
    }
}
