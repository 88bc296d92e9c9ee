import Catena
import CatenaTestServices
import CatenaRedis
import CatenaCompletion
import CatenaOpenAI
import CatenaSQLiteCache
import CatenaTestingServer
import Foundation
import Synchronization
import Testing

@Suite("Caching", .timeLimit(.minutes(1)))
struct CacheTests {
    @Test(
        "a repeated call is a hit: only success fires, it costs 0 and reports the saved cost; a plain and a streamed call share the answer"
    )
    func hitsAndMisses() async throws {
        try await withServer(answering("Paris")) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(cache: InMemoryResponseCache(), loggers: [recorder])
            let options = CompletionOptions(
                apiBase: server.baseURL, price: .init(inputCostPerToken: 1, outputCostPerToken: 1))
            let first = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            let second = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            #expect(first.text == "Paris")
            #expect(second.text == "Paris")
            #expect(server.requests.count == 1)
            let streamed = try await llm.streamingCompletion(model: "hosted_vllm/m", messages: hi, options: options)
                .collect()
            #expect(streamed.map(\.text).joined() == "Paris")
            #expect(streamed.last?.usage?.totalTokens == 7)
            #expect(server.requests.count == 1)
            await llm.flush()
            // A cached answer replays as one chunk.
            #expect(recorder.hooks == ["pre", "post", "success", "success", "chunk", "success"])
            let successes = recorder.payloads("success")
            #expect(successes.map(\.cacheHit) == [false, true, true])
            #expect(successes.map(\.responseCost) == [7, 0, 0])
            #expect(successes.map(\.savedCost) == [nil, 7, 7])
            #expect(Set(successes.map(\.cacheKey)).count == 1)
            #expect(successes[2].completeStreamingResponse?.text == "Paris")
            try await llm.shutdown()
        }
    }

    @Test("the key changes with the messages, parameters and namespace; opting out skips the cache")
    func keysAndOptOut() async throws {
        try await withServer(answering("x")) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(cache: InMemoryResponseCache(), loggers: [recorder])
            let base = CompletionOptions(apiBase: server.baseURL)
            var warmer = base
            warmer.parameters.temperature = 0.9
            var spaced = base
            spaced.cache.namespace = "tenant-a"
            var optedOut = base
            optedOut.cache = .disabled
            for options in [base, warmer, spaced, optedOut, base] {
                _ = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            }
            _ = try await llm.completion(model: "hosted_vllm/m", messages: [.user("Hello")], options: base)
            #expect(server.requests.count == 5)
            await llm.flush()
            let successes = recorder.payloads("success")
            #expect(successes.map(\.cacheHit) == [false, false, false, nil, true, false])
            #expect(successes[2].cacheKey?.hasPrefix("tenant-a:") == true)
            try await llm.shutdown()
        }
    }

    @Test("the in-memory cache evicts the least recently used entry and expires entries by their TTL")
    func inMemoryLRUAndTTL() async throws {
        let clock = Mutex(ContinuousClock.now)
        let cache = InMemoryResponseCache(capacity: 2, now: { clock.withLock { $0 } })
        try await cache.setValue([1], forKey: "a", ttl: nil)
        try await cache.setValue([2], forKey: "b", ttl: .seconds(10))
        #expect(try await cache.value(forKey: "a") == [1])
        try await cache.setValue([3], forKey: "c", ttl: nil)
        #expect(try await cache.value(forKey: "b") == nil)
        #expect(try await cache.value(forKey: "a") == [1])
        #expect(cache.count == 2)
        try await cache.setValue([4], forKey: "d", ttl: .seconds(5))
        clock.withLock { $0 = $0.advanced(by: .seconds(6)) }
        #expect(try await cache.value(forKey: "d") == nil)
        try await cache.removeValue(forKey: "a")
        #expect(try await cache.value(forKey: "a") == nil)
    }

    @Test("completion with the SQLite cache answers the second client from the file")
    func sqliteCompletion() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "catena-cache-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withServer(answering("stored")) { server in
            let options = CompletionOptions(apiBase: server.baseURL)
            let writer = makeClient(cache: try SQLiteResponseCache(path: path))
            _ = try await writer.completion(model: "hosted_vllm/m", messages: hi, options: options)
            try await writer.shutdown()
            let recorder = RecordingLogger()
            let reader = makeClient(cache: try SQLiteResponseCache(path: path), loggers: [recorder])
            #expect(
                try await reader.completion(model: "hosted_vllm/m", messages: hi, options: options).text == "stored")
            await reader.flush()
            #expect(server.requests.count == 1)
            #expect(recorder.payloads("success").first?.cacheHit == true)
            try await reader.shutdown()
        }
    }
}

@Suite("Redis cache", .timeLimit(.minutes(1)), .enabled(if: RedisServer.isAvailable, "redis-server is not installed"))
struct RedisCacheTests {
    @Test("get, set with expiry, and delete against a real Redis")
    func basicCommands() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let cache = RedisResponseCache(port: server.port, keyPrefix: "t:")
        #expect(try await cache.value(forKey: "missing") == nil)
        let big = [UInt8]((0..<100_000).map { UInt8($0 % 251) })
        try await cache.setValue(big, forKey: "big", ttl: nil)
        #expect(try await cache.value(forKey: "big") == big)
        // A TTL long enough that a loaded machine reads the value before it expires (50 ms was not, once in CI).
        try await cache.setValue([1], forKey: "brief", ttl: .seconds(1))
        #expect(try await cache.value(forKey: "brief") == [1])
        try await Task.sleep(for: .milliseconds(1_300))
        #expect(try await cache.value(forKey: "brief") == nil)
        try await cache.removeValue(forKey: "big")
        #expect(try await cache.value(forKey: "big") == nil)
        // Concurrent commands on one pipelined connection each get their own reply.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await cache.setValue([UInt8(index)], forKey: "k\(index)", ttl: nil)
                    let value = try await cache.value(forKey: "k\(index)")
                    #expect(value == [UInt8(index)])
                }
            }
            try await group.waitForAll()
        }
        await cache.shutdown()
    }

    @Test(
        "Redis going away mid-run: calls still succeed from the model, the failure is logged, no event is lost; it reconnects"
    )
    func redisGoesAway() async throws {
        var redis = try await RedisServer.start()
        let port = redis.port
        try await withServer(answering("fresh")) { server in
            let recorder = RecordingLogger()
            // A refused connection fails at once; the timeout only bounds a loaded machine's slow replies.
            let cache = RedisResponseCache(port: port, commandTimeout: .seconds(10))
            let llm = makeClient(cache: cache, loggers: [recorder])
            let options = CompletionOptions(apiBase: server.baseURL)
            _ = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            _ = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            #expect(server.requests.count == 1)
            redis.stop()
            let whileDown = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
            #expect(whileDown.text == "fresh")
            let streamed = try await llm.streamingCompletion(model: "hosted_vllm/m", messages: hi, options: options)
                .collect()
            #expect(streamed.map(\.text).joined() == "fresh")
            await llm.flush()
            let successes = recorder.payloads("success")
            #expect(successes.count == 4)
            #expect(successes.map(\.cacheHit) == [false, true, false, false])
            #expect(successes[2].cacheError?.contains("Redis") == true)
            #expect(recorder.payloads("failure").isEmpty)
            // Redis comes back on the same port: the cache reconnects.
            redis = try await RedisServer.start(port: port)
            _ = try await llm.completion(model: "hosted_vllm/m", messages: [.user("again")], options: options)
            _ = try await llm.completion(model: "hosted_vllm/m", messages: [.user("again")], options: options)
            await llm.flush()
            let again = recorder.payloads("success").suffix(2)
            #expect(again.map(\.cacheHit) == [false, true], "\(again.map(\.cacheError))")
            try await llm.shutdown()
            await cache.shutdown()
        }
        redis.stop()
    }
}
