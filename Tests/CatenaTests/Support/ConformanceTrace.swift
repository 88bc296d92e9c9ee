import Catena
import CatenaTesting
import Foundation

/// Loads the traces recorded from the real Python libraries and reduces them, and Catena's own events, to the
/// parts the contract covers: hook or event name, run and parent (numbered by first appearance), tags, metadata
/// without Python-only keys, and the payload that matters for each hook.
struct ConformanceTrace {
    let parts: [String: JSONValue]

    init(_ scenario: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(scenario).json")
        let json = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        parts = json["parts"]?.objectValue ?? [:]
    }

    /// Python class names and the names Catena's equivalents carry.
    static let names = ["GenericFakeChatModel": "FakeChatModel", "StrOutputParser": "StringOutputParser"]

    /// Metadata keys only the Python libraries set.
    static let pythonOnlyMetadata: Set<String> = ["lc_versions", "ls_integration"]

    /// The callback events of `part` (under `key`), normalized.
    func callbackEvents(_ part: String, key: String = "events") -> [String] {
        var ids = RunNumbering()
        return (parts[part]?[key]?.arrayValue ?? []).map { event in
            let name = event["event"]?.stringValue ?? ""
            return [
                name, ids.number(event["run_id"]?.stringValue), ids.number(event["parent_run_id"]?.stringValue),
                Self.tags(event["tags"]), Self.metadata(event["metadata"]), Self.pythonPayload(name, event),
            ].joined(separator: " | ")
        }
    }

    /// The callback events of `part`, one normalized list per run, runs in order of first event.
    func callbackEventsPerRun(_ part: String) -> [[String]] {
        let events = parts[part]?["events"]?.arrayValue ?? []
        var order: [String] = []
        for event in events {
            if let id = event["run_id"]?.stringValue, !order.contains(id) { order.append(id) }
        }
        return order.map { id in
            let own = JSONValue.object(["events": .array(events.filter { $0["run_id"]?.stringValue == id })])
            return ConformanceTrace(parts: ["run": own]).callbackEvents("run")
        }
    }

    private init(parts: [String: JSONValue]) {
        self.parts = parts
    }

    /// The stream events of `part`, normalized.
    func streamEvents(_ part: String) -> [String] {
        var ids = RunNumbering()
        return (parts[part]?["stream_events"]?.arrayValue ?? []).map { event in
            let run = ids.number(event["run_id"]?.stringValue)
            let parents = (event["parent_ids"]?.arrayValue ?? []).map { ids.number($0.stringValue) }
            let name = event["name"]?.stringValue ?? ""
            return [
                event["event"]?.stringValue ?? "", Self.names[name] ?? name, run, parents.joined(separator: ","),
                Self.tags(event["tags"]), Self.metadata(event["metadata"]), Self.streamData(event["data"]),
            ].joined(separator: " | ")
        }
    }

    /// Catena's recorded callback events, normalized the same way (the stream hook, which LangChain's callbacks
    /// lack, is left out).
    static func normalize(_ events: [CallbackEvent]) -> [String] {
        var ids = RunNumbering()
        return events.filter { $0.hookName != "on_chain_stream" }.map { event in
            let run = event.run
            let isEnd = event.endsRun || event.hookName == "on_llm_new_token"
            return [
                event.hookName, ids.number(run.id.uuidString), ids.number(run.parentID?.uuidString),
                tags(.array(run.tags.map { .string($0) })), isEnd ? "-" : metadata(.object(run.metadata)),
                catenaPayload(event),
            ].joined(separator: " | ")
        }
    }

    /// Catena's stream events, normalized.
    static func normalize(_ events: [StreamEvent]) -> [String] {
        var ids = RunNumbering()
        return events.map { event in
            let run = ids.number(event.runID.uuidString)
            let parents = event.parentIDs.map { ids.number($0.uuidString) }
            return [
                event.event, event.name, run, parents.joined(separator: ","),
                tags(.array(event.tags.map { .string($0) })), metadata(.object(event.metadata)),
                streamData(catenaStreamData(event.data)),
            ].joined(separator: " | ")
        }
    }

    /// `ours` with the payload replaced by `*` wherever the Python event's payload is the `*` placeholder (a streamed
    /// run's start, which Python reports before its input is known and Catena reports with its real input).
    static func align(_ ours: [String], to python: [String]) -> [String] {
        zip(ours, python).map { mine, theirs in
            guard theirs.hasSuffix(" | *"), let cut = mine.range(of: " | ", options: .backwards) else { return mine }
            return mine[..<cut.lowerBound] + " | *"
        } + ours.dropFirst(python.count)
    }

    private static func tags(_ value: JSONValue?) -> String {
        (value?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
    }

    private static func metadata(_ value: JSONValue?) -> String {
        guard let object = value?.objectValue else { return "-" }
        return JSONValue.object(object.filter { !pythonOnlyMetadata.contains($0.key) }).jsonString
    }

    /// The payload that matters per hook, from a Python event.
    private static func pythonPayload(_ hook: String, _ event: JSONValue) -> String {
        switch hook {
        case "on_llm_start":
            return (event["prompts"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "¶")
        case "on_chat_model_start":
            return (event["messages"]?[0]?.arrayValue ?? []).map { $0["content"]?.stringValue ?? "" }.joined(
                separator: "¶")
        case "on_llm_new_token": return event["token"]?.stringValue ?? ""
        case "on_llm_end": return event["response"]?["generations"]?[0]?[0]?["text"]?.stringValue ?? ""
        case "on_llm_error", "on_chain_error": return event["error"]?["message"]?.stringValue ?? ""
        case "on_chain_start":
            // Python reports {"input": ""} when a streamed run starts before its input is known: not compared.
            let inputs = event["inputs"] ?? .null
            if inputs == ["input": ""] { return "*" }
            if let content = inputs["content"]?.stringValue, inputs["type"] != nil { return "message: \(content)" }
            return inputs.jsonString
        case "on_chain_end":
            let outputs = event["outputs"] ?? .null
            return outputs["to_string"]?.stringValue ?? outputs.stringValue ?? outputs.jsonString
        default: return ""
        }
    }

    /// The same payload from a Catena event.
    private static func catenaPayload(_ event: CallbackEvent) -> String {
        switch event.payload {
        case .llmStart(let prompts, _): return prompts.joined(separator: "¶")
        case .chatModelStart(let messages, _): return (messages.first ?? []).map(\.text).joined(separator: "¶")
        case .llmNewToken(let token, _): return token
        case .llmEnd(let result): return result.generations.first?.first?.text ?? ""
        case .llmError(let error, _), .chainError(let error): return "\(error)"
        case .chainStart(let inputs):
            if let message = inputs.as(Message.self) { return "message: \(message.text)" }
            return inputs.json == .null ? "*" : inputs.json.jsonString
        case .chainEnd(let outputs):
            if let prompt = outputs.as(PromptValue.self) { return prompt.string }
            return outputs.text
        default: return ""
        }
    }

    private static func streamData(_ data: JSONValue?) -> String {
        var parts: [String] = []
        if let input = data?["input"], input["prompts"] != nil || input["input"] != nil {
            parts.append("in=\(input.jsonString)")
        }
        if let chunk = data?["chunk"] {
            parts.append(
                "chunk=\(chunk["text"]?.stringValue ?? chunk["content"]?.stringValue ?? chunk.stringValue ?? "")")
        }
        if let output = data?["output"], let text = output.stringValue ?? output["content"]?.stringValue {
            parts.append("out=\(text)")
        }
        return parts.joined(separator: " ")
    }

    private static func catenaStreamData(_ data: StreamEvent.Data) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let input = data.input { object["input"] = input.json }
        if let chunk = data.chunk { object["chunk"] = .string(chunk.text) }
        if let output = data.output, output.as(LLMResult.self) == nil, output.as(PromptValue.self) == nil {
            object["output"] = .string(output.text)
        }
        return .object(object)
    }
}

/// Numbers run ids in order of first appearance (`run-1`, `run-2`, …), as the traces do.
struct RunNumbering {
    private var numbers: [String: Int] = [:]

    mutating func number(_ id: String?) -> String {
        guard let id else { return "none" }
        if let known = numbers[id] { return "run-\(known)" }
        numbers[id] = numbers.count + 1
        return "run-\(numbers.count)"
    }
}
