import CatenaCompletion
import CatenaOpenAI
import Synchronization

/// Counts one completion call's logging events and the text of its stream events.
final class SoakLogger: CompletionLogger {
    struct Counts: Sendable {
        var pre = 0, post = 0, success = 0, failure = 0
        var streamed = ""
        var terminal: Int { success + failure }
    }

    private let counts = Mutex(Counts())
    var current: Counts { counts.withLock { $0 } }

    func logPreAPICall(_ payload: LoggingPayload) async throws { counts.withLock { $0.pre += 1 } }
    func logPostAPICall(_ payload: LoggingPayload) async throws { counts.withLock { $0.post += 1 } }
    func logStreamEvent(_ chunk: CompletionResponse, payload: LoggingPayload) async throws {
        counts.withLock { $0.streamed += chunk.text }
    }
    func logSuccess(_ payload: LoggingPayload) async throws { counts.withLock { $0.success += 1 } }
    func logFailure(_ payload: LoggingPayload) async throws { counts.withLock { $0.failure += 1 } }

    /// The rules a call's logging must follow: one pre-API call, one success or failure, stream events that carry
    /// exactly the streamed text.
    func violations(streamed: String?) -> [String] {
        let counts = current
        var problems: [String] = []
        if counts.terminal != 1 { problems.append("\(counts.success) successes and \(counts.failure) failures logged") }
        if counts.pre != 1 { problems.append("\(counts.pre) pre-API calls logged") }
        if counts.post > 1 { problems.append("\(counts.post) post-API calls logged") }
        if let streamed, counts.streamed != streamed {
            problems.append("stream events carried \"\(counts.streamed)\", the consumer got \"\(streamed)\"")
        }
        return problems
    }
}
