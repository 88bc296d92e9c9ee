import Catena
import CatenaOpenAI
import Foundation
import Logging
import Synchronization

/// One call's logging, derived from its model run: a handler of the run that turns each run event into its
/// logging hook, with the payload as it stands at that event, and queues it for the loggers.
///
/// The request event is pre-API call, the response event post-API call (a stream's end, for a stream), each token a
/// stream event, the end success and the error failure. What only the completion layer knows (where the call
/// went, the response in the OpenAI shape, the cache's part) it adds to the payload through ``update(_:)``.
final class CallLogging: CallbackHandler {
    struct State: Sendable {
        var payload: LoggingPayload
        var chunks: CompletionChunkTranslator
        var price: ModelPrice?
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

    /// Sets the price that costs the call's usage.
    func price(_ price: ModelPrice?) {
        state.withLock { $0.price = price }
    }

    func handle(_ event: CallbackEvent) {
        let job = state.withLock { state -> LogJob? in
            guard let hook = state.record(event.payload) else { return nil }
            return LogJob(event: hook, payload: state.payload, loggers: loggers)
        }
        guard let job else { return }
        if case .llmEnd = event.payload, job.payload.stream, job.payload.cacheHit != true {
            // A stream's response is complete with its last chunk: post-API call comes just before success.
            queue.enqueue(LogJob(event: .postAPICall, payload: job.payload, loggers: loggers))
        }
        queue.enqueue(job)
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
            let usage = (payload.response ?? payload.completeStreamingResponse)?.usage
            payload.usage = usage
            payload.responseCost = payload.cacheHit == true ? 0 : usage.flatMap { price?.cost(of: $0) }
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

/// One logging event for the loggers that were registered when its call started.
struct LogJob: Sendable {
    let event: LogEvent
    let payload: LoggingPayload
    let loggers: [any CompletionLogger]

    /// Hands the event to each logger; returns how many hooks threw (each logged).
    func deliver(logger: Logger) async -> Int {
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
