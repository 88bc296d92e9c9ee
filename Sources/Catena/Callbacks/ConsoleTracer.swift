import Foundation

/// A handler that prints each finished run tree with timings, token counts and usage.
///
/// ```
/// my_chain [chain] 2.41 ms
/// ├─ ChatPromptTemplate [prompt] 0.05 ms
/// └─ CustomLLM [llm] 0.31 ms · 7 tokens
/// ```
public final class ConsoleTracer: CallbackHandler {
    private let collector = RunCollector()
    private let write: @Sendable (String) -> Void

    /// Creates a tracer writing each tree to `write` (standard output by default).
    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    /// Records the event; when a root run ends, prints its tree and forgets it.
    public func handle(_ event: CallbackEvent) {
        guard let tree = collector.record(event) else { return }
        write(RunTreeRenderer.render(tree))
        collector.forgetTree(of: tree.id)
    }
}

/// Renders a run tree as indented lines with timings.
enum RunTreeRenderer {
    static func render(_ root: RunRecord) -> String {
        var lines = [line(for: root)]
        appendChildren(of: root, prefix: "", to: &lines)
        return lines.joined(separator: "\n")
    }

    private static func appendChildren(of parent: RunRecord, prefix: String, to lines: inout [String]) {
        for (offset, child) in parent.children.enumerated() {
            let last = offset == parent.children.count - 1
            lines.append(prefix + (last ? "└─ " : "├─ ") + line(for: child))
            appendChildren(of: child, prefix: prefix + (last ? "   " : "│  "), to: &lines)
        }
    }

    private static func line(for record: RunRecord) -> String {
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
