import Catena
import CatenaTesting
import Foundation

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
        rows.append(try await measure("LLM invoke, \(handlerCount) handler(s)", operations: invokes) {
            for _ in 0..<invokes { _ = try await llm.invoke("This is a foobar thing", config: config) }
        })
    }

    let chain = ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | FastChat() | StringOutputParser()
    rows.append(try await measure("prompt | chat | parser invoke, no handler", operations: invokes) {
        for _ in 0..<invokes { _ = try await chain.invoke(["input": "hi"]) }
    })
    let chainHandler = RunnableConfig(callbacks: [CountingHandler()])
    rows.append(try await measure("prompt | chat | parser invoke, 1 handler", operations: invokes) {
        for _ in 0..<invokes { _ = try await chain.invoke(["input": "hi"], config: chainHandler) }
    })

    let tokens = 100_000
    let streamer = StreamChat(count: tokens)
    rows.append(try await measure("chat stream per token, no handler", operations: tokens) {
        for try await _ in streamer.stream("hi") {}
    })
    let counter = CountingHandler()
    rows.append(try await measure("chat stream per token, 1 handler", operations: tokens) {
        for try await _ in streamer.stream("hi", config: .init(callbacks: [counter])) {}
    })

    let streamChain = ChatPromptTemplate([.user("{input}")]) | StreamChat(count: 1000) | StringOutputParser()
    let eventsPerRun = try await streamChain.streamEvents(["input": "hi"]).collect().count
    rows.append(try await measure("stream events (chain, 1000 tokens), per event", operations: eventsPerRun * 20,
                                  note: "\(eventsPerRun) events/run") {
        for _ in 0..<20 { for try await _ in streamChain.streamEvents(["input": "hi"]) {} }
    })

    let batchInputs = Array(repeating: PromptValue.text("hi"), count: 1000)
    rows.append(try await measure("batch 1000, max concurrency 16, chat model, per item", operations: 1000) {
        _ = try await FastChat().batch(batchInputs, config: .init(maxConcurrency: 16))
    })
    let chainInputs = Array(repeating: ["input": PromptValue.text("hi")], count: 1000)
    rows.append(try await measure("batch 1000, max concurrency 16, chain, per item", operations: 1000) {
        _ = try await chain.batch(chainInputs, config: .init(maxConcurrency: 16))
    })

    // In-flight memory: 10,000 concurrent invokes of a model that sleeps 10 ms.
    let inFlight = 10_000
    let sleepy = SleepyChat()
    _ = try await sleepy.batch(Array(repeating: PromptValue.text("warm"), count: 100))
    let resetOK = ResidentMemory.resetPeak()
    let before = ResidentMemory.currentKiB
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Message.self) { group in
        for index in 0..<inFlight { group.addTask { try await sleepy.invoke(.text("question \(index)")) } }
        for try await _ in group {}
    }
    let wall = (ContinuousClock.now - started).microseconds / 1000
    let peak = ResidentMemory.peakKiB
    rows.append(Row(operation: "10,000 concurrent invokes (sleep 10 ms): peak RSS", median: peak / 1024, min: peak / 1024,
                    max: peak / 1024, unit: "MiB", note: "peak reset: \(resetOK)"))
    let perCall = (peak - before) / Double(inFlight)
    rows.append(Row(operation: "10,000 concurrent invokes: memory per in-flight call", median: perCall, min: perCall,
                    max: perCall, unit: "KiB/call", note: "(peak - before) / 10,000"))
    rows.append(Row(operation: "10,000 concurrent invokes: wall", median: wall, min: wall, max: wall, unit: "ms", note: ""))

    return rows
}

/// One workload alone, for profiling: `chain`, `stream` or `invoke`.
nonisolated func profile(_ workload: String) async throws {
    switch workload {
    case "chain":
        let chain = ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | FastChat() | StringOutputParser()
        for _ in 0..<20_000 { _ = try await chain.invoke(["input": "hi"]) }
    case "stream":
        for try await _ in StreamChat(count: 300_000).stream("hi") {}
    default:
        for _ in 0..<100_000 { _ = try await PrefixLLM(n: 5).invoke("This is a foobar thing") }
    }
}
