import Catena
import CatenaTesting
import Testing

@Suite struct RaisingHandlerTests {
    struct Refused: Error {}

    /// A recorder that raises on every start and every end, and one that raises on nothing.
    static func handlers(raiserFirst: Bool) -> (
        raiser: RecordingCallbackHandler, quiet: RecordingCallbackHandler, all: [any CallbackHandler]
    ) {
        let raiser = RecordingCallbackHandler(raisesErrors: true) { event in
            if event.startsRun || (event.endsRun && event.error == nil) { throw Refused() }
        }
        let quiet = RecordingCallbackHandler()
        return (raiser, quiet, raiserFirst ? [raiser, quiet] : [quiet, raiser])
    }

    /// Every run that started in `recorder` ended exactly once, and nothing came after its end.
    static func expectNoHalfOpenRun(in recorder: RecordingCallbackHandler) {
        #expect(!recorder.runIDs.isEmpty)
        for id in recorder.runIDs {
            let events = recorder.events(of: id)
            #expect(events.first?.startsRun == true)
            #expect(events.filter(\.endsRun).count == 1, "run \(events[0].run.name): \(events.map(\.hookName))")
            #expect(events.last?.endsRun == true)
        }
    }

    @Test(arguments: [true, false]) func aRaisingStartEndsTheRunInEveryHandler(raiserFirst: Bool) async throws {
        let (raiser, quiet, all) = Self.handlers(raiserFirst: raiserFirst)
        await #expect(throws: Refused.self) {
            _ = try await PrefixLLM(n: 3).invoke("hello", config: .init(callbacks: all))
        }
        #expect(quiet.hookNames == ["on_llm_start", "on_llm_error"])
        #expect(raiser.hookNames == ["on_llm_start", "on_llm_error"])
        #expect(quiet.events.last?.error is Refused)
    }

    @Test(arguments: [true, false]) func aChainWithARaisingHandlerLeavesNoHalfOpenRun(raiserFirst: Bool) async throws {
        let (raiser, quiet, all) = Self.handlers(raiserFirst: raiserFirst)
        let chain = PromptTemplate("say {q}") | PrefixLLM(n: 3) | StringOutputParser()
        await #expect(throws: Refused.self) { _ = try await chain.invoke(["q": "hi"], config: .init(callbacks: all)) }
        await #expect(throws: Refused.self) {
            _ = try await chain.stream(["q": "hi"], config: .init(callbacks: all)).collect()
        }
        Self.expectNoHalfOpenRun(in: quiet)
        Self.expectNoHalfOpenRun(in: raiser)
    }

    @Test func aHandlerThatRaisesOnlyAtTheEndStillEndsEveryRunOnce() async throws {
        let raiser = RecordingCallbackHandler(raisesErrors: true) { event in
            if case .llmEnd = event.payload { throw Refused() }
        }
        let quiet = RecordingCallbackHandler()
        let chain = PromptTemplate("say {q}") | PrefixLLM(n: 3)
        await #expect(throws: Refused.self) {
            _ = try await chain.invoke(["q": "hi"], config: .init(callbacks: [raiser, quiet]))
        }
        Self.expectNoHalfOpenRun(in: quiet)
        Self.expectNoHalfOpenRun(in: raiser)
        // The model run ended (its end was delivered before the handler raised); the chain failed with the error.
        #expect(quiet.hookNames.suffix(2) == ["on_llm_end", "on_chain_error"])
    }
}
