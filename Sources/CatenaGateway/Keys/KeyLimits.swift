import Foundation
import Hummingbird
import Synchronization

/// The requests-per-minute, tokens-per-minute and parallel-request limits of virtual keys, counted in this process
/// over one-minute windows. Over a limit, a request gets a 429 naming it.
final class KeyLimits: Sendable {
    /// A key's counts in its current window.
    private struct Usage {
        var windowStart: ContinuousClock.Instant
        var requests = 0
        var tokens = 0
        var inFlight = 0
    }

    private static let window: Duration = .seconds(60)
    private let usage = Mutex<[String: Usage]>([:])

    /// Counts a request of `key` as started.
    /// - Throws: ``GatewayError`` (429) when a limit is reached, naming it and when the window ends.
    func admit(_ key: VirtualKey) throws(GatewayError) {
        let now = ContinuousClock.now
        let refusal = usage.withLock { usage -> GatewayError? in
            var current = usage[key.hash] ?? Usage(windowStart: now)
            if now - current.windowStart >= Self.window {
                current = Usage(windowStart: now, inFlight: current.inFlight)
            }
            let resetsIn = Int((Self.window - (now - current.windowStart)).components.seconds) + 1
            if let limit = key.maxParallelRequests, current.inFlight >= limit {
                return Self.limited("max_parallel_requests \(limit) reached: \(current.inFlight) requests in flight")
            }
            if let limit = key.rpmLimit, current.requests >= limit {
                return Self.limited("rpm_limit \(limit) reached; the minute ends in \(resetsIn) s")
            }
            if let limit = key.tpmLimit, current.tokens >= limit {
                return Self.limited("tpm_limit \(limit) reached (\(current.tokens) tokens); the minute ends in \(resetsIn) s")
            }
            current.requests += 1
            current.inFlight += 1
            usage[key.hash] = current
            return nil
        }
        if let refusal { throw refusal }
    }

    /// Counts a request of `key` as finished.
    func finished(_ key: VirtualKey) {
        usage.withLock { usage in
            guard var current = usage[key.hash] else { return }
            current.inFlight = max(0, current.inFlight - 1)
            usage[key.hash] = current
        }
    }

    /// Adds the tokens a call of `key` used.
    func used(_ tokens: Int, by key: VirtualKey) {
        usage.withLock { usage in
            guard var current = usage[key.hash] else { return }
            current.tokens = current.tokens.addingReportingOverflow(max(0, tokens)).partialValue
            usage[key.hash] = current
        }
    }

    private static func limited(_ what: String) -> GatewayError {
        GatewayError(
            status: .tooManyRequests, message: "Rate limit for this key: \(what)", type: "rate_limit_error", param: nil,
            code: "rate_limit_exceeded")
    }
}
