import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTesting
import Foundation

/// The four ways a soak call reaches the server.
public enum SoakMode: String, Sendable, CaseIterable {
    /// `prompt | ChatVLLM | StringOutputParser`, invoked.
    case chainInvoke = "chain invoke"
    /// The same chain, streamed.
    case chainStream = "chain stream"
    /// `completion()`.
    case completion
    /// `streamingCompletion()`.
    case streamingCompletion = "streaming completion"

    var streams: Bool { self == .chainStream || self == .streamingCompletion }
}

/// What the soak calls go through: one chat model client and one completion client, shared by every call.
struct SoakTargets: Sendable {
    let chain: RunnableSequence<ChatPromptTemplate.Input, String>
    let completions: CompletionClient
    let baseURL: String
}

/// How one soak call went.
struct SoakCallResult: Sendable {
    /// Every rule the call broke.
    var violations: [String] = []
    /// Whether the server's last chunks before it dropped the connection never reached Catena: AsyncHTTPClient
    /// discards body parts it has read but not yet handed over when the connection closes (its
    /// `HTTPRequestStateMachine.channelInactive` fails the request without them). Counted, not a violation: every
    /// part that did arrive is streamed, reported and in the error's partial output.
    var lostInTransport = false
}

/// One call of the soak: its fault and mode, run with a recording handler or logger of its own, and checked.
struct SoakCall: Sendable {
    let index: Int
    let fault: SoakFault
    let mode: SoakMode

    /// Runs the call and returns what it broke (nothing, when all went as the fault says it must).
    func run(_ targets: SoakTargets) async -> SoakCallResult {
        let prompt = SoakServer.prompt(fault, call: index)
        var streamed = ""
        let result: Result<String, any Error>
        var problems: [String] = []
        switch mode {
        case .chainInvoke, .chainStream:
            let recorder = RecordingCallbackHandler()
            let config = RunnableConfig(callbacks: [recorder])
            result = await Result {
                if mode == .chainInvoke {
                    return try await targets.chain.invoke(["q": PromptValue(stringLiteral: prompt)], config: config)
                }
                for try await piece in targets.chain.stream(["q": PromptValue(stringLiteral: prompt)], config: config) {
                    streamed += piece
                }
                return streamed
            }
            problems += RunTreeCheck.violations(recorder.events, streamed: mode.streams ? streamed : "")
        case .completion, .streamingCompletion:
            let logger = SoakLogger()
            let options = CompletionOptions(apiBase: targets.baseURL, loggers: [logger])
            let messages: [Message] = [.user(prompt)]
            result = await Result {
                if mode == .completion {
                    return try await targets.completions.completion(
                        model: "hosted_vllm/soak", messages: messages, options: options
                    ).text
                }
                for try await chunk in targets.completions.streamingCompletion(
                    model: "hosted_vllm/soak", messages: messages, options: options)
                {
                    streamed += chunk.text
                }
                return streamed
            }
            await targets.completions.flush()
            problems += logger.violations(streamed: mode.streams ? streamed : nil)
        }
        var outcome = SoakCallResult()
        if lostInTransport(result, streamed: streamed) {
            outcome.lostInTransport = true
        } else {
            problems += outcomeViolations(result, streamed: streamed)
        }
        outcome.violations = problems.map { "call \(index) (\(fault.rawValue), \(mode.rawValue)): \($0)" }
        return outcome
    }

    /// Whether a stream the server dropped mid-body ended early only because the transport discarded its last parts:
    /// interrupted, after a prefix of what the server sent, reported as the error's partial output.
    private func lostInTransport(_ result: Result<String, any Error>, streamed: String) -> Bool {
        guard fault == .droppedMidBody, mode.streams,
            case .failure(.streamInterrupted, let partial) = fault.expected(streaming: true),
            case .failure(let error) = result, case .streamInterrupted(let reported, _) = error as? ModelServerError
        else { return false }
        return reported == streamed && streamed != partial && partial.hasPrefix(streamed)
    }

    /// Whether the call ended as its fault says: the answer, or the right kind of error after the right output.
    private func outcomeViolations(_ result: Result<String, any Error>, streamed: String) -> [String] {
        switch (fault.expected(streaming: mode.streams), result) {
        case (.answer(let expected), .success(let answer)):
            return answer == expected ? [] : ["answered \"\(answer)\" instead of \"\(expected)\""]
        case (.failure(let kind, let partial), .failure(let error)):
            var problems: [String] = []
            if SoakErrorKind(error) != kind {
                problems.append("failed with \(error) instead of a \(kind.rawValue) error")
            }
            if mode.streams, streamed != partial {
                problems.append("streamed \"\(streamed)\" before failing, not \"\(partial)\"")
            }
            if case .streamInterrupted(let reported, _) = error as? ModelServerError, reported != streamed {
                problems.append("the error's partial output \"\(reported)\" is not what was streamed, \"\(streamed)\"")
            }
            return problems
        case (.answer, .failure(let error)): return ["failed with \(error)"]
        case (.failure(let kind, _), .success(let answer)):
            return ["answered \"\(answer)\" instead of a \(kind.rawValue) error"]
        }
    }
}

extension SoakErrorKind {
    /// The kind of `error`, when it is one the soak's faults cause.
    init?(_ error: any Error) {
        switch error as? ModelServerError {
        case .rateLimited?: self = .rateLimited
        case .server?: self = .server
        case .connection?: self = .connection
        case .decoding?: self = .decoding
        case .streamError?: self = .streamError
        case .streamInterrupted?: self = .streamInterrupted
        default: return nil
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an asynchronous body.
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
