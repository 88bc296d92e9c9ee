import Catena
import Synchronization

/// A runnable that fails its first `failures` calls, then echoes its input.
struct Flaky: Runnable {
    struct Transient: Error, Equatable { let attempt: Int }
    let failures: Int
    private let calls = Calls()

    init(failures: Int) {
        self.failures = failures
    }

    var callCount: Int { calls.count.load(ordering: .relaxed) }

    func invoke(_ input: String, context: RunContext) async throws -> String {
        try await context.traceChain(name: "Flaky", input: input) { _, _ in
            let attempt = calls.count.add(1, ordering: .relaxed).newValue
            if attempt <= failures { throw Transient(attempt: attempt) }
            return input
        }
    }

    final class Calls: Sendable { let count = Atomic<Int>(0) }
}

/// A retry policy that does not wait, recording the delays it was asked to wait.
func instantPolicy(maxAttempts: Int, delays: Recorded<Duration>) -> RetryPolicy {
    RetryPolicy(maxAttempts: maxAttempts, initialDelay: .milliseconds(100), jitter: .zero, sleep: { delays.append($0) })
}
