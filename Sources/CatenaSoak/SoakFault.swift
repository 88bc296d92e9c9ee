import CatenaTestingServer

/// One fault the soak's server plays for a call (named in the call's prompt, so the server needs no other state
/// than how many attempts of each call it has seen), and what the client must make of it.
public enum SoakFault: String, Sendable, CaseIterable {
    /// A plain answer.
    case ok
    /// 429 with a readable `Retry-After` of at most a millisecond (or one to ignore), then the answer.
    case rateLimitedThenOK = "rate-limited-then-ok"
    /// 429 with an absurd `Retry-After` (`1e20`, `inf`, `Int64.max`): reported, not retried.
    case rateLimitedAbsurd = "rate-limited-absurd"
    /// 500, then the answer.
    case serverErrorThenOK = "server-error-then-ok"
    /// 500 on every attempt.
    case serverErrorAlways = "server-error-always"
    /// The connection closes before any response, then the answer.
    case droppedBeforeResponse = "dropped-before-response"
    /// The connection closes in the middle of the body, every time.
    case droppedMidBody = "dropped-mid-body"
    /// An event (or a body) that is not JSON after some output.
    case malformedEvent = "malformed-event"
    /// An error object inside a 200 response.
    case errorInside200 = "error-inside-200"
    /// A stream that ends without `[DONE]`.
    case noDone = "no-done"
    /// The answer after a pause before the first byte.
    case slowFirstByte = "slow-first-byte"
    /// The answer cut into pieces of one to three bytes (splitting multi-byte characters), with a byte order mark,
    /// CRLF line ends and comments.
    case oddChunking = "odd-chunking"

    /// The answer's stream chunks; the text is their concatenation.
    static let chunks = ["Hel", "lo", " wörld", " ✓"]
    /// The whole answer.
    public static let answer = chunks.joined()
    /// The `Retry-After` values of ``rateLimitedThenOK``, of which those that cannot be read are ignored.
    static let shortRetryAfters = ["0", "0.001", "-5", "soon", "NaN", "Sun, 06 Nov 1994 08:49:37 GMT"]
    /// The `Retry-After` values of ``rateLimitedAbsurd``.
    static let absurdRetryAfters = ["1e20", "inf", "9223372036854775807"]

    /// What the server plays for `attempt` (1-based) of call `call`, streaming or not.
    func actions(attempt: Int, call: Int, streaming: Bool) -> [FaultServer.Action] {
        switch self {
        case .ok: return Self.answer(streaming: streaming)
        case .rateLimitedThenOK:
            guard attempt == 1 else { return Self.answer(streaming: streaming) }
            return Self.rateLimited(Self.shortRetryAfters[call % Self.shortRetryAfters.count])
        case .rateLimitedAbsurd: return Self.rateLimited(Self.absurdRetryAfters[call % Self.absurdRetryAfters.count])
        case .serverErrorThenOK:
            return attempt == 1
                ? FaultServer.json(500, #"{"error":{"message":"engine busy"}}"#) : Self.answer(streaming: streaming)
        case .serverErrorAlways: return FaultServer.json(500, #"{"object":"error","message":"engine dead"}"#)
        case .droppedBeforeResponse: return attempt == 1 ? [.drop] : Self.answer(streaming: streaming)
        case .droppedMidBody:
            guard streaming else {
                let body = Self.completionBody
                return [
                    .head(200, ["content-type": "application/json", "content-length": "\(body.utf8.count)"]),
                    .body(String(body.prefix(40))), .delay(.milliseconds(20)), .drop,
                ]
            }
            return [.head(200, FaultServer.sse), Self.chunk(0), Self.chunk(1), .delay(.milliseconds(100)), .drop]
        case .malformedEvent:
            guard streaming else { return FaultServer.json(200, #"{"choices": [{"index": 0, "message": {"#) }
            return [.head(200, FaultServer.sse), Self.chunk(0), .body("data: {\"choices\": [{\"delta\": \n\n"), .end]
        case .errorInside200:
            let error = #"{"error":{"message":"overloaded","type":"server_error"}}"#
            guard streaming else { return FaultServer.json(200, error) }
            return [.head(200, FaultServer.sse), Self.chunk(0), FaultServer.event(error), .end]
        case .noDone:
            guard streaming else { return Self.answer(streaming: false) }
            return [.head(200, FaultServer.sse)] + Self.chunks.indices.map(Self.chunk) + [.end]
        case .slowFirstByte: return [.delay(.milliseconds(300))] + Self.answer(streaming: streaming)
        case .oddChunking: return Self.oddlyChunked(streaming: streaming, call: call)
        }
    }

    /// What the client must report for this fault, streaming or not.
    public func expected(streaming: Bool) -> SoakOutcome {
        switch self {
        case .ok, .rateLimitedThenOK, .serverErrorThenOK, .droppedBeforeResponse, .slowFirstByte, .oddChunking:
            return .answer(Self.answer)
        case .rateLimitedAbsurd: return .failure(.rateLimited, partial: "")
        case .serverErrorAlways: return .failure(.server, partial: "")
        case .droppedMidBody:
            return streaming
                ? .failure(.streamInterrupted, partial: Self.chunks[0] + Self.chunks[1])
                : .failure(.connection, partial: "")
        case .malformedEvent: return .failure(.decoding, partial: streaming ? Self.chunks[0] : "")
        case .errorInside200:
            return streaming ? .failure(.streamError, partial: Self.chunks[0]) : .failure(.decoding, partial: "")
        case .noDone: return streaming ? .failure(.streamInterrupted, partial: Self.answer) : .answer(Self.answer)
        }
    }

    static let completionBody =
        #"{"id":"chatcmpl-soak","object":"chat.completion","model":"soak","choices":[{"index":0,"message":{"role":"assistant","content":"\#(answer)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#
    static let usageEvent =
        #"{"id":"chatcmpl-soak","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#

    static func chunk(_ index: Int) -> FaultServer.Action { FaultServer.chunk(chunks[index], id: "chatcmpl-soak") }

    static func answer(streaming: Bool) -> [FaultServer.Action] {
        guard streaming else { return FaultServer.json(200, completionBody) }
        return [.head(200, FaultServer.sse)] + chunks.indices.map(chunk)
            + [FaultServer.event(usageEvent), FaultServer.event("[DONE]"), .end]
    }

    static func rateLimited(_ retryAfter: String) -> [FaultServer.Action] {
        FaultServer.json(
            429, #"{"error":{"message":"slow down","type":"rate_limit"}}"#, headers: ["retry-after": retryAfter])
    }

    /// The answer's bytes in pieces of one to three bytes (the sizes vary with `call`).
    static func oddlyChunked(streaming: Bool, call: Int) -> [FaultServer.Action] {
        let body: [UInt8]
        let head: FaultServer.Action
        if streaming {
            let events =
                chunks.map { #"{"id":"chatcmpl-soak","choices":[{"index":0,"delta":{"content":"\#($0)"}}]}"# }
                + [usageEvent, "[DONE]"]
            body =
                [0xEF, 0xBB, 0xBF]
                + Array((": warming up\r\n\r\n" + events.map { "data: \($0)\r\n\r\n" }.joined()).utf8)
            head = .head(200, FaultServer.sse)
        } else {
            body = Array(completionBody.utf8)
            head = .head(200, ["content-type": "application/json", "content-length": "\(body.count)"])
        }
        var pieces: [FaultServer.Action] = [head]
        var start = 0
        var size = call % 3 + 1
        while start < body.count {
            pieces.append(.bytes(Array(body[start..<min(start + size, body.count)])))
            start += size
            size = size % 3 + 1
        }
        return pieces + [.end]
    }
}

/// What a call must end with.
public enum SoakOutcome: Sendable, Equatable {
    /// The whole answer.
    case answer(String)
    /// An error of this kind, after this much streamed text.
    case failure(SoakErrorKind, partial: String)
}

/// The kinds of error the soak's faults cause.
public enum SoakErrorKind: String, Sendable {
    case rateLimited, server, connection, decoding, streamError, streamInterrupted
}
