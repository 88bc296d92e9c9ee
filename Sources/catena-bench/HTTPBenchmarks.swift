import AsyncHTTPClient
import Catena
import CatenaOpenAI
import CatenaSoak
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP rows: chat invoke over loopback against the raw AsyncHTTPClient request, 1,000 concurrent streams,
/// and SSE decoding throughput.
nonisolated func runHTTPBenchmarks() async throws -> [Row] {
    var rows: [Row] = []
    let server = try await FixedResponseServer.start(chunks: 20)
    // CATENA_BENCH_SERVER=http://127.0.0.1:PORT/v1 sends the invoke rows to another server instead (e.g. the peers'
    // http_server.py, the server their openai figures come from); it cannot stream, so the stream rows are skipped.
    let external = ProcessInfo.processInfo.environment["CATENA_BENCH_SERVER"]
    let baseURL = external ?? server.baseURL
    let requests = 2_000
    let body = Array(#"{"model":"x","messages":[{"role":"user","content":"hi"}]}"#.utf8)

    // The floor: the same request with AsyncHTTPClient alone, body collected, with the timeouts ModelServerClient
    // sets; once with AsyncHTTPClient's default (no-op) tracer, once without a tracer as ModelServerClient runs it.
    // Measured interleaved with ChatVLLM's invoke (a batch of each per round), so drift of the machine hits all alike.
    var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(120)))
    let traced = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    configuration.tracing.tracer = nil
    let untraced = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let raw = { @Sendable (http: HTTPClient) in
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
    }

    try await ModelServerClient.withClient(.openAICompatible(baseURL: baseURL)) { client in
        let model = ChatVLLM(client: client, model: "x")
        let target = external == nil ? "loopback" : "loopback, \(baseURL)"
        rows += try await measureInterleaved(
            [
                ("raw AsyncHTTPClient POST /chat/completions (\(target))", { try await raw(traced) }),
                ("raw AsyncHTTPClient POST, no tracer (ChatVLLM's configuration)", { try await raw(untraced) }),
                ("ChatVLLM invoke (same server)", { _ = try await model.invoke("hi") }),
            ], operations: requests)
        if external != nil { return }

        // 1,000 concurrent streaming requests of 20 chunks each.
        let streams = 1_000
        _ = ResidentMemory.resetPeak()
        let before = ResidentMemory.currentKiB
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<streams { group.addTask { try await model.stream("hi").collect().count } }
            for try await count in group where count != 21 { throw BenchError("a stream yielded \(count) chunks") }
        }
        let wall = (ContinuousClock.now - started).microseconds / 1000
        let perStream = (ResidentMemory.peakKiB - before) / Double(streams)
        rows.append(
            Row(
                operation: "1,000 concurrent streams (20 chunks): wall", median: wall, min: wall, max: wall, unit: "ms",
                note: ""))
        rows.append(
            Row(
                operation: "1,000 concurrent streams: memory per stream", median: perStream, min: perStream,
                max: perStream, unit: "KiB", note: "peak RSS growth / 1,000"))
    }
    try await traced.shutdown()
    try await untraced.shutdown()
    try await server.shutdown()

    // Decoding one chat completion (ChatVLLM's response path): parse, then read the wire type.
    let completion = Array(FixedResponseServer.completion.utf8)
    let decodes = 20_000
    rows.append(
        try await measure("decode a chat completion (\(completion.count) B)", operations: decodes) {
            for _ in 0..<decodes { _ = try ModelServerClient.decode(CompletionResponse.self, from: completion) }
        })

    // A JSONValue 470 levels deep through Foundation's JSONDecoder (its `Decodable` path; once quadratic).
    let deep = Data((String(repeating: #"{"a":"#, count: 470) + "1" + String(repeating: "}", count: 470)).utf8)
    rows.append(
        try await measure("JSONValue through JSONDecoder, 470 levels deep", operations: 20) {
            for _ in 0..<20 { _ = try JSONDecoder().decode(JSONValue.self, from: deep) }
        })

    // Writing a chat request body (ChatVLLM's request path, default parameters).
    try await ModelServerClient.withClient(.openAICompatible(baseURL: "http://127.0.0.1:1/v1")) { client in
        let model = ChatVLLM(client: client, model: "x")
        let messages: [Message] = [.user("hi")]
        rows.append(
            await measure("write a chat request body", operations: decodes) {
                for _ in 0..<decodes { _ = model.requestBody(messages, stop: nil, stream: false) }
            })
    }

    // SSE decoding: a 4 MiB body of chat chunks fed in 16 KiB pieces.
    let sse = Array(FixedResponseServer.stream(chunks: 40_000).utf8)
    let piece = 16 * 1024
    var row = try await measure("SSE decoder", operations: 1, runs: 7) {
        var decoder = SSEDecoder()
        var events = 0
        var start = 0
        while start < sse.count {
            events += decoder.feed(sse[start..<min(start + piece, sse.count)]).count
            start += piece
        }
        if events != 40_002 { throw BenchError("decoded \(events) events") }
    }
    let megabytes = Double(sse.count) / 1_048_576
    row = Row(
        operation: "SSE decoder throughput (16 KiB reads)", median: megabytes / (row.median / 1e6),
        min: megabytes / (row.max / 1e6), max: megabytes / (row.min / 1e6), unit: "MiB/s",
        note: "\(sse.count / 1024) KiB body")
    rows.append(row)
    return rows
}
