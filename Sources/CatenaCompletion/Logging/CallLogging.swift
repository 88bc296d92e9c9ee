import Catena
import CatenaOpenAI
import Foundation
import Logging
import Synchronization

/// One call's logging, derived from its model run: a handler of the run that turns each run event into its
/// logging hook and queues it for the loggers.
///
/// The request event is pre-API call, the response event post-API call (a stream's end, for a stream), each token a
/// stream event, the end success and the error failure. What only the completion layer knows (where the call
/// went, the response in the OpenAI shape, the cache's part) it adds to the payload through ``update(_:)``.
///
/// The queued events of a call share this one record instead of a copy of the payload each: a hook receives the
/// payload as it stood at its event (``LoggingPayload/asSeen(at:)`` leaves out what later stages added), built
/// when it is delivered.
final class CallLogging: CallbackHandler {
    struct State: Sendable {
        var payload: LoggingPayload
        var chunks: CompletionChunkTranslator
    }

    private let loggers: [any CompletionLogger]
    private let queue: DeliveryQueue<LogJob>
    private let state: Mutex<State>

    init(payload: LoggingPayload, loggers: [any CompletionLogger], queue: DeliveryQueue<LogJob>) {
        self.loggers = loggers
        self.queue = queue
        let created = Int(payload.startTime.timeIntervalSince1970)
        state = Mutex(State(payload: payload, chunks: CompletionChunkTranslator(created: created)))
    }

    /// Adds what the completion layer knows to the payload.
    func update(_ change: (inout LoggingPayload) -> Void) {
        state.withLock { change(&$0.payload) }
    }

    /// Whether the loggers' queue has room.
    var queueHasRoom: Bool { queue.hasRoom }

    /// Waits while the loggers' queue is full.
    func waitForRoom() async {
        await queue.waitForRoom()
    }

    func handle(_ event: CallbackEvent) {
        let (hook, postsFirst) = state.withLock { state -> (LogEvent?, Bool) in
            let hook = state.record(event.payload)
            // A stream's response is complete with its last chunk: post-API call comes just before success.
            let streamEnded =
                if case .success = hook { state.payload.stream && state.payload.cacheHit != true } else { false }
            return (hook, streamEnded)
        }
        guard let hook else { return }
        if postsFirst { queue.enqueue(LogJob(event: .postAPICall, call: self), urgent: false) }
        queue.enqueue(LogJob(event: hook, call: self), urgent: hook.endsCall)
    }

    /// Hands `event` to each logger with the payload as it stood then; returns how many hooks threw (each logged).
    func deliver(_ event: LogEvent, logger: Logger) async -> Int {
        let payload = state.withLock { $0.payload.asSeen(at: event) }
        var failures = 0
        for target in loggers {
            do {
                try await event.deliver(payload, to: target)
            } catch {
                failures += 1
                logger.warning(
                    "a completion logger failed; the other loggers still got the event",
                    metadata: [
                        "logger": "\(type(of: target))", "hook": "\(event.hookName)",
                        "call_id": "\(payload.callID)", "error": "\(error)",
                    ])
            }
        }
        return failures
    }
}

extension CallLogging.State {
    /// Records `event` in the payload; returns the hook it stands for, if any.
    mutating func record(_ event: CallbackEvent.Payload) -> LogEvent? {
        switch event {
        case .llmRequest(let body):
            payload.requestBody = String(decoding: body, as: UTF8.self)
            return .preAPICall
        case .llmResponse(let body):
            payload.rawResponse = body.map { String(decoding: $0, as: UTF8.self) }
            payload.firstTokenTime = payload.firstTokenTime ?? Date()
            return .postAPICall
        case .llmNewToken(let token, let generation):
            payload.firstTokenTime = payload.firstTokenTime ?? Date()
            return .streamChunk(chunks.chunk(generation?.message ?? .assistant(token)))
        case .cacheHit:
            payload.cacheHit = true
            payload.firstTokenTime = Date()
            return nil
        case .llmEnd(let result):
            if payload.stream { payload.completeStreamingResponse = Self.response(result) }
            let usage = (payload.response ?? payload.completeStreamingResponse)?.usage ?? payload.usage
            payload.usage = usage
            payload.responseCost = result.cost
            payload.endTime = Date()
            payload.status = .success
            return .success
        case .llmError(let error, let partial):
            if payload.stream { payload.completeStreamingResponse = Self.response(partial) }
            payload.error = LoggingPayload.ErrorInformation(error)
            payload.endTime = Date()
            payload.status = .failure
            return .failure
        default:
            return nil
        }
    }

    /// A stream's merged answer in the OpenAI shape.
    private static func response(_ result: LLMResult) -> CompletionResponse {
        let chat = ChatResult(generations: result.generations.first ?? [], llmOutput: result.llmOutput)
        return CompletionResponse(translating: chat, created: Int(Date().timeIntervalSince1970))
    }
}

/// One logging event of a call, queued for its loggers.
struct LogJob: Sendable {
    let event: LogEvent
    let call: CallLogging
}

extension LoggingPayload {
    /// The payload as it stood when `event` fired: what later stages of the call added is left out (pre-API call
    /// has no response yet, post-API call and stream events no result, usage or cost).
    func asSeen(at event: LogEvent) -> LoggingPayload {
        var payload = self
        switch event {
        case .success, .failure:
            return payload
        case .preAPICall:
            payload.rawResponse = nil
            payload.firstTokenTime = nil
            payload.completeStreamingResponse = nil
        case .streamChunk:
            payload.completeStreamingResponse = nil
        case .postAPICall:
            break
        }
        payload.response = nil
        payload.usage = nil
        payload.responseCost = nil
        payload.endTime = nil
        payload.error = nil
        payload.status = .pending
        return payload
    }
}
