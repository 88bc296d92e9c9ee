import Catena
import Logging

/// A cached answer: what it stores, and what it cost when it was made.
protocol CachedAnswer {
    /// What the answer cost when it was made (`nil`: unknown).
    var cost: Double? { get }
}

extension CachedCompletion: CachedAnswer {}
extension CachedEmbedding: CachedAnswer {}

extension CompletionClient {
    /// The cached answer of `call`, if any, reported to its run as a cache hit (with the cost it saved in the
    /// payload) or a miss; a failing cache is a miss, logged and shown in the payload.
    func cachedValue<Route, Answer: CachedAnswer>(
        for call: CompletionCall<Route>, decode: ([UInt8]) throws -> Answer
    ) async -> Answer? {
        guard let cache, let key = call.route.cacheKey else { return nil }
        do {
            guard let bytes = try await cache.value(forKey: key) else {
                call.logging?.update { $0.cacheHit = false }
                try? call.run.onCacheMiss()
                return nil
            }
            let cached = try decode(bytes)
            call.logging?.update { $0.savedCost = cached.cost ?? 0 }
            try? call.run.onCacheHit()
            return cached
        } catch {
            call.logging?.update {
                $0.cacheHit = false
                $0.cacheError = "\(error)"
            }
            try? call.run.onCacheMiss()
            call.run.log(
                .warning, "the completion cache failed; answering from the model",
                metadata: ["error": "\(error)", "call_id": "\(call.id)"], to: log)
            return nil
        }
    }

    /// Stores an answer of `call` (its bytes made by `encode`); a failing cache is logged and shown in the payload.
    func store<Route>(_ encode: () throws -> [UInt8], for call: CompletionCall<Route>) async {
        guard let cache, let key = call.route.cacheKey else { return }
        do {
            try await cache.setValue(try encode(), forKey: key, ttl: call.route.cacheTTL)
        } catch {
            call.logging?.update { $0.cacheError = "\(error)" }
            call.run.log(
                .warning, "could not store the answer in the completion cache",
                metadata: ["error": "\(error)", "call_id": "\(call.id)"], to: log)
        }
    }
}
