import Foundation
import Logging

/// One model call as the framework runs it, shared by text and chat models: run start and end, cache, rate
/// limiter, stop-sequence enforcement, streaming with tokens reported before each chunk, and the fallback to a
/// single chunk when the model cannot stream.
struct ModelCall: Sendable {
    /// Reports the run's start with the model's prompt or messages.
    let start: @Sendable (CallbackManager, _ name: String, _ runID: UUID?) throws -> LLMRunManager
    let name: String
    let cache: (any ResponseCache)?
    /// The prompt and model settings a cached response is filed under.
    let cacheKey: @Sendable () -> (prompt: String, model: String)
    let rateLimiter: (any RateLimiter)?
    let stop: [String]?
    let stopHandling: StopSequenceHandling
    /// The model's non-streaming body.
    let generate: @Sendable (LLMRunManager) async throws -> [Generation]
    /// The model's streaming body; returns `nil` when the model cannot (or should not) stream.
    let streamGenerations: @Sendable (LLMRunManager) -> RunnableStream<Generation>?

    /// What a model run reports as its parameters: the model's identifying parameters, the bound call options,
    /// its type and its stop sequences.
    static func invocationParameters(
        identifying: [String: JSONValue], options: CallOptions, llmType: String
    ) -> [String: JSONValue] {
        var parameters = identifying.merging(options.parameters) { _, bound in bound }
        parameters["_type"] = .string(llmType)
        parameters["stop"] = options.stop.map { stops in .array(stops.map { .string($0) }) } ?? .null
        return parameters
    }

    /// Runs the call and returns its candidates (at least one).
    func invoke(context: RunContext) async throws -> Generation {
        let manager = try start(context.callbacks, context.runName(default: name), context.runID)
        do {
            let generations = try await cachedOrGenerated(context: context, manager: manager)
            guard let first = generations.first else {
                throw CatenaError(.emptyOutput, "model '\(name)' returned no generation")
            }
            try manager.onEnd(LLMResult(generations: [generations]))
            return first
        } catch {
            try? manager.onError(error)
            throw error
        }
    }

    /// Streams the call as generation chunks; each chunk is reported as a new token before it is yielded.
    func stream(context: RunContext) -> RunnableStream<Generation> {
        .traced { () async throws -> (RunnableStream<Generation>, ModelStreamObserver) in
            let manager = try start(context.callbacks, context.runName(default: name), context.runID)
            let observer = ModelStreamObserver(manager: manager, call: self)
            do {
                if let cached = await lookup() {
                    observer.skipsStore = true
                    return (.of(Array(cached.prefix(1))), observer)
                }
                guard let source = streamGenerations(manager) else {
                    let generations = try await generated(context: context, manager: manager)
                    observer.skipsStore = true
                    return (.of(Array(generations.prefix(1))), observer)
                }
                try await rateLimiter?.acquire()
                let raw = context.isObserved ? source.runningWithCurrent(context.child(of: manager)) : source
                guard let stop else { return (raw, observer) }
                return (raw.cut(at: stop, handling: stopHandling), observer)
            } catch {
                observer.fail(error)
                throw error
            }
        }
    }

    private func cachedOrGenerated(context: RunContext, manager: LLMRunManager) async throws -> [Generation] {
        if let cached = await lookup() { return cached }
        return try await generated(context: context, manager: manager)
    }

    /// Calls the model's body (after the rate limiter), enforces stop sequences and fills the cache.
    private func generated(context: RunContext, manager: LLMRunManager) async throws -> [Generation] {
        try await rateLimiter?.acquire()
        let raw =
            context.isObserved
            ? try await context.child(of: manager).makeCurrent { try await generate(manager) }
            : try await generate(manager)
        let generations = stop.map { stops in raw.map { $0.cut(at: stops, handling: stopHandling) } } ?? raw
        await store(generations)
        return generations
    }

    private func lookup() async -> [Generation]? {
        guard let cache else { return nil }
        let key = cacheKey()
        do {
            return try await cache.lookup(prompt: key.prompt, modelKey: key.model)
        } catch {
            Logger(label: "catena.cache").warning("cache lookup failed; calling the model", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func store(_ generations: [Generation]) async {
        guard let cache else { return }
        let key = cacheKey()
        do {
            try await cache.update(prompt: key.prompt, modelKey: key.model, generations: generations)
        } catch {
            Logger(label: "catena.cache").warning("cache update failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Reports tokens and the end of a streaming model run, with the partial output on error.
final class ModelStreamObserver: StreamRunObserver {
    private let manager: LLMRunManager
    private let call: ModelCall
    private var total: Generation?
    /// Set when the chunks came from the cache or a single non-streaming call that already stored them.
    var skipsStore = false

    init(manager: LLMRunManager, call: ModelCall) {
        self.manager = manager
        self.call = call
    }

    func willYield(_ chunk: Generation) throws {
        if total == nil { total = chunk } else { total!.append(chunk) }
        try manager.onNewToken(chunk.text, chunk: chunk)
    }

    func finish() async throws {
        let result = total ?? Generation(text: "")
        if !skipsStore { await call.store([result]) }
        try manager.onEnd(LLMResult(generations: [[result]]))
    }

    func fail(_ error: any Error) {
        try? manager.onError(error, partial: total.map { LLMResult(generations: [[$0]]) } ?? .empty)
    }
}

extension Generation {
    /// This generation with its text cut at the first stop sequence.
    func cut(at stops: [String], handling: StopSequenceHandling) -> Generation {
        guard let cut = StopSequenceFilter.cut(text, at: stops, handling: handling) else { return self }
        return replacingText(cut)
    }

    /// This generation with `text` as its text (and its message's text content).
    func replacingText(_ newText: String) -> Generation {
        var copy = self
        copy.text = newText
        if case .text = copy.message?.content { copy.message?.content = .text(newText) }
        return copy
    }
}

extension RunnableStream where Element == Generation {
    /// The stream cut at the first stop sequence, which may span chunks.
    func cut(at stops: [String], handling: StopSequenceHandling) -> RunnableStream {
        let source = self
        return RunnableStream {
            var iterator = source.makeAsyncIterator()
            var filter = StopSequenceFilter(stops: stops, handling: handling)
            var ended = false
            return {
                while !ended {
                    guard let chunk = try await iterator.next() else {
                        ended = true
                        let rest = filter.finish()
                        return rest.isEmpty ? nil : Generation(text: "").replacingText(rest)
                    }
                    let text = filter.feed(chunk.text)
                    if filter.stopped { ended = true }
                    let hasOtherContent = !(chunk.message?.toolCalls.isEmpty ?? true) || chunk.message?.usage != nil
                    if !text.isEmpty || hasOtherContent { return chunk.replacingText(text) }
                }
                return nil
            }
        }
    }

    /// The stream pulled with `context` as the current run context, so work inside the model's stream attaches
    /// to the model's run.
    func runningWithCurrent(_ context: RunContext) -> RunnableStream {
        let source = self
        return RunnableStream {
            let iterator = SharedIterator(source.makeAsyncIterator())
            return { try await context.makeCurrent { try await iterator.next() } }
        }
    }
}
