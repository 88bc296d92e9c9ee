import Catena
import CatenaOpenAI
import CatenaTesting
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// Responses from a misbehaving server, proxy or attacker: each is a clear error or a clamped value, never a trap.
@Suite struct HostileResponseTests {
    /// A 429 with `value` as its `Retry-After`, then a success; the policy records its waits instead of sleeping.
    func rateLimited(retryAfter value: String) async throws -> (
        requests: Int, waits: [Duration], error: ModelServerError?
    ) {
        let waits = Waits()
        let retry = RetryPolicy(
            maxAttempts: 2, initialDelay: .milliseconds(7), maxDelay: .seconds(60), jitter: .zero,
            shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false }, sleep: { waits.add($0) })
        return try await withFaultServer(
            retry: retry,
            { _, index in
                index == 0
                    ? FaultServer.json(429, #"{"error":"slow down"}"#, headers: ["retry-after": value])
                    : FaultServer.json(200, completionBody("ok"))
            }
        ) { server, client in
            do {
                _ = try await ChatVLLM(client: client, model: "m").invoke("hi")
                return (server.requests.count, waits.all, nil)
            } catch let error as ModelServerError {
                return (server.requests.count, waits.all, error)
            }
        }
    }

    @Test(
        "a Retry-After beyond the policy's longest wait is reported, clamped to a day, not retried",
        arguments: ["1e20", "inf", "9223372036854775807", "86401", "Fri, 31 Dec 9999 23:59:59 GMT"])
    func absurdRetryAfterIsNotRetried(value: String) async throws {
        let (requests, waits, error) = try await rateLimited(retryAfter: value)
        #expect(requests == 1)
        #expect(waits.isEmpty)
        guard case .rateLimited(let retryAfter, _) = error else {
            Issue.record("expected rate limited, got \(String(describing: error))"); return
        }
        #expect(retryAfter == .seconds(86_400))
    }

    @Test(
        "a Retry-After that is negative, NaN, empty or garbage is ignored: the policy's own backoff applies",
        arguments: ["-5", "NaN", "", "soon", "-inf", "Mon, 99 Foo 2020 99:99:99 GMT"])
    func unreadableRetryAfterFallsBackToBackoff(value: String) async throws {
        let (requests, waits, error) = try await rateLimited(retryAfter: value)
        #expect(error == nil)
        #expect(requests == 2)
        #expect(waits == [.milliseconds(7)])
    }

    @Test("a Retry-After in seconds or as an HTTP date within the longest wait is honoured; a past date is no wait")
    func readableRetryAfterIsHonoured() async throws {
        #expect(try await rateLimited(retryAfter: "2.5").waits == [.milliseconds(2500)])
        #expect(try await rateLimited(retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT").waits == [.zero])
        #expect(try await rateLimited(retryAfter: "Sunday, 06-Nov-94 08:49:37 GMT").waits == [.zero])
        #expect(try await rateLimited(retryAfter: "Sun Nov  6 08:49:37 1994").waits == [.zero])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let waits = try await rateLimited(retryAfter: formatter.string(from: Date().addingTimeInterval(30))).waits
        #expect(waits.count == 1)
        #expect(waits.allSatisfy { $0 > .seconds(27) && $0 <= .seconds(30) })
    }

    @Test("huge token counts without a total saturate instead of trapping: decode, invoke and stream")
    func hugeTokenCountsSaturate() async throws {
        let body = #"{"choices":[],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":1}}"#
        let decoded = try ModelServerClient.decode(CompletionResponse.self, from: Array(body.utf8))
        #expect(decoded.usage?.totalTokens == Int.max)
        #expect(decoded.usage?.usage.totalTokens == Int.max)

        let answer =
            #"{"choices":[{"index":0,"message":{"content":"ok"}}],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":1}}"#
        let invoked = try await withFaultServer({ _, _ in FaultServer.json(200, answer) }) { _, client in
            try await ChatVLLM(client: client, model: "m").invoke("hi")
        }
        #expect(invoked.usage?.totalTokens == Int.max)

        let usage =
            #"{"choices":[],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":9223372036854775807}}"#
        let streamed = try await withFaultServer({ _, _ in
            [
                .head(200, FaultServer.sse), FaultServer.chunk("a"), FaultServer.event(usage), FaultServer.event(usage),
                FaultServer.event("[DONE]"), .end,
            ]
        }) { _, client in
            var total: Message?
            for try await chunk in ChatVLLM(client: client, model: "m").stream("hi") {
                total = total.map { $0 + chunk } ?? chunk
            }
            return total
        }
        #expect(streamed?.usage == Usage(inputTokens: .max, outputTokens: .max, totalTokens: .max))
    }

    @Test(
        "a negative token count is a decoding error that names the member",
        arguments: [
            ("prompt_tokens", "usage.prompt_tokens"), ("completion_tokens", "usage.completion_tokens"),
            ("total_tokens", "usage.total_tokens"), ("cached_tokens", "usage.prompt_tokens_details.cached_tokens"),
        ])
    func negativeTokenCountsAreRefused(member: String, path: String) throws {
        var usage = ["prompt_tokens": "3", "completion_tokens": "4", "total_tokens": "7", "cached_tokens": "1"]
        usage[member] = "-9223372036854775808"
        let body =
            #"{"choices":[],"usage":{"prompt_tokens":\#(usage["prompt_tokens"]!),"#
            + #""completion_tokens":\#(usage["completion_tokens"]!),"total_tokens":\#(usage["total_tokens"]!),"#
            + #""prompt_tokens_details":{"cached_tokens":\#(usage["cached_tokens"]!)}}}"#
        #expect {
            try ModelServerClient.decode(CompletionResponse.self, from: Array(body.utf8))
        } throws: { error in
            guard case .decoding(_, let reason) = error as? ModelServerError else { return false }
            return reason.contains(path) && reason.contains("-9223372036854775808")
        }
    }

    @Test(
        "usage in a stream is the server's last report, whether sent once or as running totals on every chunk",
        arguments: [false, true])
    func streamUsageIsTheLastReport(continuous: Bool) async throws {
        func chunk(_ text: String, usage: (Int, Int)?) -> FaultServer.Action {
            let usage =
                usage.map {
                    #","usage":{"prompt_tokens":\#($0.0),"completion_tokens":\#($0.1),"total_tokens":\#($0.0 + $0.1)}"#
                } ?? ""
            return FaultServer.event(#"{"id":"c","choices":[{"index":0,"delta":{"content":"\#(text)"}}]\#(usage)}"#)
        }
        let script: [FaultServer.Action] =
            continuous
            ? [
                chunk("a", usage: (10, 1)), chunk("b", usage: (10, 2)), chunk("c", usage: (10, 3)),
                chunk("", usage: (10, 3)),
            ]
            : [chunk("a", usage: nil), chunk("b", usage: nil), chunk("c", usage: nil), chunk("", usage: (10, 3))]
        try await withFaultServer({ _, _ in
            [.head(200, FaultServer.sse)] + script + [FaultServer.event("[DONE]"), .end]
        }) {
            _, client in
            let streamed = try await ChatVLLM(client: client, model: "m", streaming: true).invoke("hi")
            #expect(streamed.text == "abc")
            #expect(streamed.usage == Usage(inputTokens: 10, outputTokens: 3, totalTokens: 13))
            var merged: Message?
            for try await piece in ChatVLLM(client: client, model: "m").stream("hi") {
                merged = merged.map { $0 + piece } ?? piece
            }
            #expect(merged?.usage == Usage(inputTokens: 10, outputTokens: 3, totalTokens: 13))
        }
    }

    @Test("a number beyond Double's range is a decoding error, not infinity written back as null")
    func outOfRangeNumbersAreRefused() throws {
        for number in ["1e400", "-1e400", "123456789e999"] {
            #expect(throws: DecodingError.self) { try JSONValue(parsing: #"{"x":\#(number)}"#) }
            let chunk = #"{"choices":[{"index":0,"logprobs":{"x":\#(number)}}]}"#
            #expect(throws: ModelServerError.self) {
                try ModelServerClient.decode(CompletionResponse.self, from: Array(chunk.utf8))
            }
        }
        #expect(try JSONValue(parsing: "1e308") == .double(1e308))
        #expect(try JSONValue(parsing: "-1e-400") == .double(-0.0))
    }
}
