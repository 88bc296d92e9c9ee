import CatenaCompletion
import CatenaOpenAI
import Synchronization

/// Records every hook call in order: the hook's name and the payload it received.
final class RecordingLogger: CompletionLogger {
    struct Entry: Sendable {
        let hook: String
        let payload: LoggingPayload
        let chunk: CompletionResponse?
    }

    private let entries = Mutex<[Entry]>([])
    /// Hooks that throw after recording.
    let failingHooks: Set<String>
    /// A pause in every hook, to simulate a slow sink.
    let delay: Duration?

    init(failingHooks: Set<String> = [], delay: Duration? = nil) {
        self.failingHooks = failingHooks
        self.delay = delay
    }

    var recorded: [Entry] { entries.withLock { $0 } }
    var hooks: [String] { recorded.map(\.hook) }

    func payloads(_ hook: String) -> [LoggingPayload] { recorded.filter { $0.hook == hook }.map(\.payload) }

    private func record(_ hook: String, _ payload: LoggingPayload, chunk: CompletionResponse? = nil) async throws {
        if let delay { try await Task.sleep(for: delay) }
        entries.withLock { $0.append(Entry(hook: hook, payload: payload, chunk: chunk)) }
        if failingHooks.contains(hook) { throw HookFailure(hook: hook) }
    }

    func logPreAPICall(_ payload: LoggingPayload) async throws { try await record("pre", payload) }
    func logPostAPICall(_ payload: LoggingPayload) async throws { try await record("post", payload) }
    func logStreamEvent(_ chunk: CompletionResponse, payload: LoggingPayload) async throws {
        try await record("chunk", payload, chunk: chunk)
    }
    func logSuccess(_ payload: LoggingPayload) async throws { try await record("success", payload) }
    func logFailure(_ payload: LoggingPayload) async throws { try await record("failure", payload) }
}

struct HookFailure: Error {
    let hook: String
}
