import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation

/// A fault soak: many calls through chains (invoke and stream) and `completion` (plain and streaming) against a
/// fault server in another process, each with a random fault, checked one by one (see ``SoakCall``).
public enum Soak {
    /// What to run.
    public struct Configuration: Sendable {
        /// The fault server's base URL (`http://127.0.0.1:PORT/v1`), serving ``SoakServer``.
        public var baseURL: String
        /// How many calls.
        public var calls: Int
        /// How many calls are in flight at once.
        public var concurrency: Int
        /// Picks each call's fault and mode; the same seed gives the same calls.
        public var seed: UInt64
        /// A call still running after this long counts as hung (and is cancelled).
        public var callDeadline: Duration

        /// Creates a configuration: 10,000 calls, 32 at once, 30 s per call at most.
        public init(
            baseURL: String, calls: Int = 10_000, concurrency: Int = 32, seed: UInt64 = 1,
            callDeadline: Duration = .seconds(30)
        ) {
            self.baseURL = baseURL
            self.calls = calls
            self.concurrency = concurrency
            self.seed = seed
            self.callDeadline = callDeadline
        }
    }

    /// Runs the soak.
    public static func run(_ configuration: Configuration) async throws -> SoakReport {
        let retry = RetryPolicy(
            maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .seconds(60), jitter: .zero,
            shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false })
        let client = ModelServerClient(
            ModelServerConfiguration(
                endpoint: .openAICompatible(baseURL: configuration.baseURL), readTimeout: .seconds(10), retry: retry))
        let completions = CompletionClient(
            providers: ProviderRegistry([
                ModelServerProvider.hostedVLLM(environment: [:], retry: retry)
            ]))
        let chain = ChatPromptTemplate([.user("{q}")]) | ChatVLLM(client: client, model: "soak") | StringOutputParser()
        let targets = SoakTargets(chain: chain, completions: completions, baseURL: configuration.baseURL)
        var random = SplitMix64(seed: configuration.seed)
        let calls = (0..<configuration.calls).map { index in
            SoakCall(
                index: index, fault: SoakFault.allCases.randomElement(using: &random)!,
                mode: SoakMode.allCases.randomElement(using: &random)!)
        }
        let report = try await run(calls, on: targets, configuration: configuration)
        try await completions.shutdown()
        try await client.shutdown()
        return report
    }

    /// Runs `calls` with at most `configuration.concurrency` in flight, sampling memory after the warm-up.
    private static func run(_ calls: [SoakCall], on targets: SoakTargets, configuration: Configuration) async throws
        -> SoakReport
    {
        var report = SoakReport(calls: calls.count, warmUp: min(1_000, calls.count / 5))
        let started = ContinuousClock.now
        await withTaskGroup(of: (SoakCall, SoakCallResult?).self) { group in
            var next = 0
            func startNext() {
                guard next < calls.count else { return }
                let call = calls[next]
                next += 1
                group.addTask {
                    (call, try? await withDeadline(configuration.callDeadline) { await call.run(targets) })
                }
            }
            for _ in 0..<configuration.concurrency { startNext() }
            var finished = 0
            while let (call, result) = await group.next() {
                finished += 1
                report.record(call, result)
                if finished == report.warmUp { report.residentBytesAfterWarmUp = residentBytes }
                startNext()
            }
        }
        report.residentBytesAtEnd = residentBytes
        report.duration = ContinuousClock.now - started
        return report
    }
}

/// The process's resident memory in bytes.
private var residentBytes: Int { Int(ResidentMemory.currentKiB * 1024) }

/// A small, fast, seedable random number generator (SplitMix64), so a soak can be replayed.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
