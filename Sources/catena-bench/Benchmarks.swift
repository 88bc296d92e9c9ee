import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaSoak
import CatenaTesting
import Foundation
import InMemoryTracing
import Tracing

/// Runs every benchmark and returns the table rows.
///
/// Called off the main actor: top-level code is main-actor isolated, and awaiting Catena's nonisolated async API
/// from the main actor hops between executors on every call, which would dominate every figure.
nonisolated func runBenchmarks() async throws -> [Row] {
    var rows: [Row] = []
    let invokes = 20_000
    let llm = PrefixLLM(n: 5)

    for handlerCount in [0, 1, 5] {
        let config = RunnableConfig(callbacks: (0..<handlerCount).map { _ in CountingHandler() })
        rows.append(
            try await measure("LLM invoke, \(handlerCount) handler(s)", operations: invokes) {
                for _ in 0..<invokes { _ = try await llm.invoke("This is a foobar thing", config: config) }
            })
    }

    let chain = answeringChain()
    rows.append(
        try await measure("prompt | chat | parser invoke, no handler", operations: invokes) {
            for _ in 0..<invokes { _ = try await chain.invoke(["input": "hi"]) }
        })
    let chainHandler = RunnableConfig(callbacks: [CountingHandler()])
    rows.append(
        try await measure("prompt | chat | parser invoke, 1 handler", operations: invokes) {
            for _ in 0..<invokes { _ = try await chain.invoke(["input": "hi"], config: chainHandler) }
        })
    // The same calls traced: a span per run (4 for the chain) into an in-memory tracer, emptied after each batch.
    let tracer = InMemoryTracer()
    rows.append(
        try await measure("LLM invoke, traced (in-memory tracer)", operations: invokes) {
            try await withTracer(tracer) {
                for _ in 0..<invokes { _ = try await llm.invoke("This is a foobar thing") }
            }
            tracer.clearAll()
        })
    rows.append(
        try await measure("prompt | chat | parser invoke, traced (in-memory tracer)", operations: invokes) {
            try await withTracer(tracer) {
                for _ in 0..<invokes { _ = try await chain.invoke(["input": "hi"]) }
            }
            tracer.clearAll()
        })

    let tokens = 100_000
    let streamer = StreamChat(count: tokens)
    rows.append(
        try await measure("chat stream per token, no handler", operations: tokens) {
            for try await _ in streamer.stream("hi") {}
        })
    let counter = CountingHandler()
    rows.append(
        try await measure("chat stream per token, 1 handler", operations: tokens) {
            for try await _ in streamer.stream("hi", config: .init(callbacks: [counter])) {}
        })

    let streamChain = streamingChain()
    let eventsPerRun = try await streamChain.streamEvents(["input": "hi"]).collect().count
    for delivery in [StreamEventsDelivery.live, .inline] {
        rows.append(
            try await measure(
                "stream events (chain, 1000 tokens, \(delivery) delivery), per event",
                operations: eventsPerRun * 20, note: "\(eventsPerRun) events/run"
            ) {
                for _ in 0..<20 { for try await _ in streamChain.streamEvents(["input": "hi"], delivery: delivery) {} }
            })
    }

    let batchInputs = Array(repeating: PromptValue.text("hi"), count: 1000)
    rows.append(
        try await measure("batch 1000, max concurrency 16, chat model, per item", operations: 1000) {
            _ = try await FastChat().batch(batchInputs, config: .init(maxConcurrency: 16))
        })
    let chainInputs = Array(repeating: ["input": PromptValue.text("hi")], count: 1000)
    rows.append(
        try await measure("batch 1000, max concurrency 16, chain, per item", operations: 1000) {
            _ = try await chain.batch(chainInputs, config: .init(maxConcurrency: 16))
        })

    // In-flight memory, each in a fresh process (as the peers measure): Catena's calls, then the same tasks
    // without Catena.
    rows += try inFlightRows(workload: "catena", label: "10,000 concurrent invokes (sleep 10 ms)")
    rows += try inFlightRows(workload: "catena-handler", label: "10,000 concurrent invokes, 1 handler (sleep 10 ms)")
    rows += try inFlightRows(workload: "bare", label: "baseline: 10,000 bare tasks (sleep 10 ms)")
    return rows
}

/// Runs `catena-bench inflight <workload>` in `processes` fresh processes and turns their figures into rows: one
/// process's resident memory moves with the allocator's arenas by a tenth or so, so one sample would not do.
func inFlightRows(workload: String, label: String, processes: Int = 5) throws -> [Row] {
    let samples = try (0..<processes).map { _ in try inFlightFigures(workload: workload) }
    return [
        Row(
            operation: "\(label): peak RSS", samples: samples.map(\.peakMiB), unit: "MiB",
            note: "\(processes) fresh processes"),
        Row(
            operation: "\(label): memory per in-flight call", samples: samples.map(\.perCallKiB), unit: "KiB/call",
            note: "(peak - before) / calls in flight"),
        Row(operation: "\(label): wall", samples: samples.map(\.wallMilliseconds), unit: "ms", note: ""),
    ]
}

/// One fresh process's in-flight figures.
private func inFlightFigures(workload: String) throws -> (peakMiB: Double, perCallKiB: Double, wallMilliseconds: Double)
{
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["inflight", workload]
    let output = Pipe()
    child.standardOutput = output
    try child.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    child.waitUntilExit()
    let figures = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
    guard figures.count == 3 else {
        throw BenchError("inflight \(workload) printed \(String(decoding: data, as: UTF8.self))")
    }
    return (figures[0], figures[1], figures[2])
}

/// 10,000 concurrent calls of a 10 ms model (`catena`; `catena-handler` with a handler observing every call) or of
/// bare sleeping tasks (`bare`); prints the peak RSS in MiB, the memory per in-flight call in KiB and the wall time
/// in ms.
nonisolated func inFlight(_ workload: String) async throws {
    if workload.hasPrefix("completion") { return try await concurrentCompletions(bare: workload == "completion-bare") }
    if workload == "agent" { return try await concurrentAgents() }
    let inFlight = 10_000
    let sleepy = SleepyChat()
    // Each task calls its work directly: a shared helper's frame would count in both workloads.
    let bare = workload == "bare"
    let config = RunnableConfig(callbacks: workload == "catena-handler" ? [CountingHandler()] : [])
    for index in 0..<100 { _ = try await sleepy.invoke(.text("question \(index)")) }
    _ = ResidentMemory.resetPeak()
    let before = ResidentMemory.currentKiB
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Message.self) { group in
        for index in 0..<inFlight {
            // Inputs and answers are made before the task starts, as a server has its request before the call.
            if bare {
                let answer = Message.assistant("hello \(index)")
                group.addTask {
                    try await Task.sleep(nanoseconds: 10_000_000)
                    return answer
                }
            } else {
                let question = PromptValue.text("question \(index)")
                if config.callbacks.isEmpty {
                    group.addTask { try await sleepy.invoke(question) }
                } else {
                    group.addTask { try await sleepy.invoke(question, config: config) }
                }
            }
        }
        for try await _ in group {}
    }
    let wall = (ContinuousClock.now - started).microseconds / 1000
    let peak = ResidentMemory.peakKiB
    print(peak / 1024, (peak - before) / Double(inFlight), wall)
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `prompt | chat | parser` over a chat model answering at once, as the peers' chain.
func answeringChain() -> RunnableSequence<[String: PromptValue], String> {
    ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | FastChat() | StringOutputParser()
}

/// `prompt | chat | parser` over a chat model streaming 1,000 tokens, as the peers' stream-events chain.
func streamingChain() -> RunnableSequence<[String: PromptValue], String> {
    ChatPromptTemplate([.user("{input}")]) | StreamChat(count: 1000) | StringOutputParser()
}

/// One workload alone, for profiling: `chain`, `chainstream`, `events` (inline), `live` (events),
/// `http`, `decode`, `completions`, `stream`, or `invoke` (one handler; `invoke0`, `invoke5`… for that many).
nonisolated func profile(_ workload: String) async throws {
    switch workload {
    case "chain":
        let chain = answeringChain()
        for _ in 0..<200_000 { _ = try await chain.invoke(["input": "hi"]) }
    case "events":
        for _ in 0..<100 { for try await _ in streamingChain().streamEvents(["input": "hi"], delivery: .inline) {} }
    case "http":
        let server = try await FixedResponseServer.start(chunks: 20)
        try await ModelServerClient.withClient(.openAICompatible(baseURL: server.baseURL)) { client in
            let model = ChatVLLM(client: client, model: "x")
            for _ in 0..<10_000 { _ = try await model.invoke("hi") }
        }
        try await server.shutdown()
    case "completions", "completions-logged":
        let llm = CompletionClient(loggers: workload == "completions" ? [] : [CountingLogger()])
        for _ in 0..<100_000 {
            _ = try await llm.completion(
                model: "gpt-3.5-turbo", messages: [.user("hi")], options: .init(mockResponse: "hello"))
        }
        try await llm.shutdown()
    case "decode":
        let completion = Array(FixedResponseServer.completion.utf8)
        for _ in 0..<200_000 { _ = try ModelServerClient.decode(CompletionResponse.self, from: completion) }
    case "chainstream":
        for _ in 0..<300 { for try await _ in streamingChain().stream(["input": "hi"]) {} }
    case "live":
        for _ in 0..<100 { for try await _ in streamingChain().streamEvents(["input": "hi"]) {} }
    case "stream":
        for try await _ in StreamChat(count: 300_000).stream("hi", config: .init(callbacks: [CountingHandler()])) {}
    default:
        // `invoke` with one handler, `invoke0`, `invoke5`… with that many.
        let handlers = Int(workload.dropFirst("invoke".count)) ?? 1
        let config = RunnableConfig(callbacks: (0..<handlers).map { _ in CountingHandler() })
        for _ in 0..<100_000 { _ = try await PrefixLLM(n: 5).invoke("This is a foobar thing", config: config) }
    }
}
