import Foundation

/// A handler that prints each finished run tree with timings, token counts and usage.
///
/// ```
/// my_chain [chain] 2.41 ms
/// ├─ ChatPromptTemplate [prompt] 0.05 ms
/// └─ CustomLLM [llm] 0.31 ms · 7 tokens
/// ```
public final class ConsoleTracer: EventCallbackHandler {
    private let collector = RunCollector()
    private let write: @Sendable (String) -> Void

    /// Creates a tracer writing each tree to `write` (standard output by default).
    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    /// Records the event; when a root run ends, prints its tree and forgets it.
    public func handle(_ event: CallbackEvent) {
        collector.handle(event)
        guard event.endsRun, let record = collector.run(event.run.id) else { return }
        let isRoot = record.parentID.map { collector.run($0) == nil } ?? true
        guard isRoot else { return }
        let renderer = RunTreeRenderer(runs: collector.runs)
        write(renderer.render(root: record.id))
        collector.forget(renderer.subtree(of: record.id))
    }
}

/// Renders a run tree as indented lines with timings.
struct RunTreeRenderer {
    let runs: [RunRecord]

    func render(root: UUID) -> String {
        guard let record = runs.first(where: { $0.id == root }) else { return "" }
        var lines = [line(for: record)]
        appendChildren(of: root, prefix: "", to: &lines)
        return lines.joined(separator: "\n")
    }

    /// The ids of `root` and all its descendants.
    func subtree(of root: UUID) -> Set<UUID> {
        var ids: Set<UUID> = [root]
        for child in runs where child.parentID == root { ids.formUnion(subtree(of: child.id)) }
        return ids
    }

    private func appendChildren(of parent: UUID, prefix: String, to lines: inout [String]) {
        let children = runs.filter { $0.parentID == parent }
        for (offset, child) in children.enumerated() {
            let last = offset == children.count - 1
            lines.append(prefix + (last ? "└─ " : "├─ ") + line(for: child))
            appendChildren(of: child.id, prefix: prefix + (last ? "   " : "│  "), to: &lines)
        }
    }

    private func line(for record: RunRecord) -> String {
        var parts = ["\(record.name) [\(record.type.rawValue)] \(String(format: "%.2f ms", record.duration * 1000))"]
        if record.tokenCount > 0 { parts.append("\(record.tokenCount) tokens") }
        if let usage = record.outputs?.as(LLMResult.self)?.usage {
            parts.append("usage \(usage.inputTokens) in / \(usage.outputTokens) out")
        }
        if record.retryCount > 0 { parts.append("\(record.retryCount) retries") }
        if let error = record.error { parts.append("error: \(error)") }
        return parts.joined(separator: " · ")
    }
}

extension LLMResult {
    /// Token usage summed over the candidates' messages, when the model reported any.
    public var usage: Usage? {
        generations.joined().compactMap { $0.message?.usage }.reduce(nil) { total, usage in
            total.map { $0 + usage } ?? usage
        }
    }
}
