public import Catena
import CatenaOpenAI
public import CatenaTestingServer
import Testing

/// Three broken streams of one wire format, each after an event with the text "par": the connection dropped, the
/// body ended without the format's last event, and a malformed event.
public func brokenStreams(after textEvent: FaultServer.Action) -> FaultServer.Script {
    { _, index in
        switch index {
        case 0: [.head(200, FaultServer.sse), textEvent, .delay(.milliseconds(300)), .drop]
        case 1: [.head(200, FaultServer.sse), textEvent, .end]
        default: [.head(200, FaultServer.sse), textEvent, FaultServer.event("{oops"), .end]
        }
    }
}

/// Streams `model` three times against ``brokenStreams(after:)``: interrupted with the partial text, interrupted
/// naming `lastEvent`, then a decoding error with the malformed payload.
public func expectBrokenStreams(_ model: some ChatModel, lastEvent: String) async {
    await #expect {
        try await model.stream("hi").collect()
    } throws: { error in
        guard case .streamInterrupted("par", _) = error as? ModelServerError else { return false }
        return true
    }
    await #expect {
        try await model.stream("hi").collect()
    } throws: { error in
        guard case .streamInterrupted("par", let reason) = error as? ModelServerError else { return false }
        return reason.contains(lastEvent)
    }
    await #expect {
        try await model.stream("hi").collect()
    } throws: { error in
        guard case .decoding("{oops", _) = error as? ModelServerError else { return false }
        return true
    }
}
