import Foundation
import Logging

/// One model call as the framework runs it, shared by text and chat models: run start and end, cache, rate
/// limiter, stop-sequence enforcement, streaming with tokens reported before each chunk, and the fallback to a
/// single chunk when the model cannot stream.
struct ModelCall<Request: ModelRequest>: Sendable {
    /// What the model streams.
    typealias Chunk = Request.Chunk

    /// The model and its input.
    let request: Request

    private var name: String { request.name }
    private var stop: [String]? { request.stop }

    /// Runs the call and returns its candidates (at least one).
    func invoke(context: RunContext) async throws -> Generation {
        let manager = try request.start(context)
        do {
            return try ended(with: await output(context: context, manager: manager), manager: manager)
        } catch {
            try? manager.onError(error)
            throw error
        }
    }

    /// Reports the run's end and returns the first candidate.
    private func ended(with result: ChatResult, manager: LLMRunManager) throws -> Generation {
        let first = try result.firstGeneration(model: name)
        try manager.onEnd(LLMResult(result))
        return first
    }

    /// The call's output, from the cache or the model.
    private func output(context: RunContext, manager: LLMRunManager) async throws -> ChatResult {
        if let cached = try await lookup(reportingTo: manager, context: context) {
            return ChatResult(generations: cached)
        }
        return try await generated(context: context, manager: manager)
    }

    /// Streams the call; each chunk is reported as a new token before it is yielded.
    func stream(context: RunContext) -> RunnableStream<Chunk> {
        .traced { () async throws -> (RunnableStream<Chunk>, ModelStreamObserver<Request>) in
            let manager = try request.start(context)
            let observer = ModelStreamObserver(manager: manager, call: self, logger: context.callbacks.logger)
            do {
                if let cached = try await lookup(reportingTo: manager, context: context) {
                    observer.skipsStore = true
                    return (.of(cached.prefix(1).map(Chunk.init)), observer)
                }
                // The model makes its stream with its run as the current context (so a source can capture it);
                // the chunks are pulled in the consumer's context, as LangChain pulls `_astream`: per-chunk work
                // reports through the run manager, without a task-local push per token.
                let made =
                    context.isObserved
                    ? await context.makeChildCurrent(of: manager) { request.streamChunks(runManager: manager) }
                    : request.streamChunks(runManager: manager)
                guard let source = made?.started(in: context.isObserved ? manager.spanContext : nil) else {
                    let result = try await generated(context: context, manager: manager)
                    observer.skipsStore = true
                    observer.llmOutput = result.llmOutput
                    return (.of(result.generations.prefix(1).map(Chunk.init)), observer)
                }
                try await request.rateLimiter?.acquire()
                guard let stop else { return (source, observer) }
                return (source.cut(at: stop, handling: request.stopHandling), observer)
            } catch {
                observer.fail(error)
                throw error
            }
        }
    }

    /// Calls the model's body (after the rate limiter), enforces stop sequences and fills the cache.
    private func generated(context: RunContext, manager: LLMRunManager) async throws -> ChatResult {
        if let limiter = request.rateLimiter { try await limiter.acquire() }
        let raw =
            context.isObserved
            ? try await context.makeChildCurrent(of: manager) { try await request.generate(runManager: manager) }
            : try await request.generate(runManager: manager)
        let result = stopEnforced(raw)
        await store(result.generations, manager: manager, logger: context.callbacks.logger)
        return result
    }

    /// The model's output with every generation cut at the first stop sequence.
    private func stopEnforced(_ raw: ChatResult) -> ChatResult {
        guard let stops = stop else { return raw }
        return ChatResult(
            generations: raw.generations.map { $0.cut(at: stops, handling: request.stopHandling) },
            llmOutput: raw.llmOutput)
    }

    /// The cached answer, if the model has a cache that holds one, reported to `manager` as a hit or a miss.
    /// Inlined, so a model without a cache does not pay for an async call.
    @inline(__always)
    private func lookup(reportingTo manager: LLMRunManager, context: RunContext) async throws -> [Generation]? {
        guard let cache = request.cache else { return nil }
        let cached = await lookup(in: cache, manager: manager, logger: context.callbacks.logger)
        try cached == nil ? manager.onCacheMiss() : manager.onCacheHit()
        return cached
    }

    private func lookup(in cache: any ResponseCache, manager: LLMRunManager, logger: Logger?) async -> [Generation]? {
        do {
            guard let bytes = try await cache.value(forKey: try request.cacheKey) else { return nil }
            return try JSONValue(parsing: bytes).decode(as: [Generation].self)
        } catch {
            manager.log(.warning, "cache lookup failed; calling the model", metadata: ["error": "\(error)"], to: logger)
            return nil
        }
    }

    /// Files `generations` in the model's cache, if it has one (inlined like the lookup); a failure is logged
    /// through `logger` (else the run's).
    @inline(__always)
    func store(_ generations: [Generation], manager: LLMRunManager, logger: Logger?) async {
        guard let cache = request.cache else { return }
        await store(generations, in: cache, manager: manager, logger: logger)
    }

    private func store(
        _ generations: [Generation], in cache: any ResponseCache, manager: LLMRunManager, logger: Logger?
    ) async {
        do {
            try await cache.setValue(
                JSONValue(encoding: generations).serializedBytes, forKey: try request.cacheKey, ttl: nil)
        } catch {
            manager.log(.warning, "cache update failed", metadata: ["error": "\(error)"], to: logger)
        }
    }
}

/// Reports tokens and the end of a streaming model run, with the partial output on error.
final class ModelStreamObserver<Request: ModelRequest>: StreamRunObserver {
    /// What the model streams.
    typealias Chunk = Request.Chunk

    private let manager: LLMRunManager
    private let call: ModelCall<Request>
    /// Where a failure to fill the cache is logged (`nil`: the run's logger).
    private let logger: Logger?
    /// The chunks merged so far, once `received`.
    private var total = Chunk(Generation(text: ""))
    private var received = false
    /// Set when the chunks came from the cache or a single non-streaming call that already stored them.
    var skipsStore = false
    /// The provider-level output of a non-streaming call the stream fell back to.
    var llmOutput: [String: JSONValue]?

    init(manager: LLMRunManager, call: ModelCall<Request>, logger: Logger?) {
        self.manager = manager
        self.call = call
        self.logger = logger
    }

    func willYield(_ chunk: Chunk) throws {
        if received { total.append(chunk) } else { total = chunk; received = true }
        try manager.onNewToken(chunk.text, chunk: chunk.generation)
    }

    nonisolated(nonsending) func finish() async throws {
        let result = received ? total.generation : Generation(text: "")
        if !skipsStore { await call.store([result], manager: manager, logger: logger) }
        try manager.onEnd(LLMResult(generations: [[result]], llmOutput: llmOutput))
    }

    func fail(_ error: any Error) {
        try? manager.onError(error, partial: received ? LLMResult(generations: [[total.generation]]) : .empty)
    }
}

extension ChatResult {
    /// The first candidate of model `name`'s result.
    /// - Throws: ``CatenaError`` with code `emptyOutput` when there is none.
    func firstGeneration(model name: String) throws -> Generation {
        guard let first = generations.first else {
            throw CatenaError(.emptyOutput, "model '\(name)' returned no generation")
        }
        return first
    }
}

extension Generation {
    /// This generation with its text cut at the first stop sequence.
    func cut(at stops: [String], handling: StopSequenceHandling) -> Generation {
        guard let cut = StopSequenceFilter.cut(text, at: stops, handling: handling) else { return self }
        return replacingText(cut)
    }
}

extension RunnableStream where Element: ModelChunk {
    /// The stream cut at the first stop sequence, which may span chunks.
    func cut(at stops: [String], handling: StopSequenceHandling) -> RunnableStream {
        let source = self
        return RunnableStream(start: {
            let next = try await source.start()
            var filter = StopSequenceFilter(stops: stops, handling: handling)
            var ended = false
            return {
                while !ended {
                    guard let chunk = try await next() else {
                        ended = true
                        let rest = filter.finish()
                        return rest.isEmpty ? nil : Element(Generation(text: "")).replacingText(rest)
                    }
                    let text = filter.feed(chunk.text)
                    if filter.stopped { ended = true }
                    if !text.isEmpty || chunk.hasNonTextContent { return chunk.replacingText(text) }
                }
                return nil
            }
        })
    }
}
