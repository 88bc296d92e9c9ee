import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Testing
import CatenaTestServices

/// Mock failures (LiteLLM's `mock_response=Exception(...)`): test failure handling without a server.
@Suite struct MockFailureTests {
    struct Outage: Error, Equatable {}

    @Test func aMockErrorFailsTheCallOnceWithTheError() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        await #expect(throws: Outage.self) {
            try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: .failure(Outage())))
        }
        await #expect(throws: Outage.self) {
            for try await _ in llm.streamingCompletion(
                model: "gpt-4o", messages: hi, options: .init(mockResponse: .failure(Outage())))
            {}
        }
        await llm.flush()
        #expect(recorder.hooks == ["pre", "failure", "pre", "failure"])
        #expect(recorder.payloads("failure").allSatisfy { $0.status == .failure && $0.error?.type == "Outage" })
        try await llm.shutdown()
    }

    @Test func aStreamFailingPartWayYieldsItsChunksThenTheError() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let mock = MockResponse.streamFailing("Hello world", afterChunks: 2, with: Outage())
        var received = ""
        await #expect(throws: Outage.self) {
            for try await chunk in llm.streamingCompletion(
                model: "gpt-4o", messages: hi, options: .init(mockResponse: mock))
            {
                received += chunk.text
            }
        }
        #expect(received == "Hello ")
        await #expect(throws: Outage.self) {
            try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: mock))
        }
        await llm.flush()
        #expect(recorder.hooks == ["pre", "chunk", "chunk", "failure", "pre", "failure"])
        #expect(recorder.payloads("failure").first?.completeStreamingResponse?.text == "Hello ")
        try await llm.shutdown()
    }

    @Test func aStringLiteralStillAnswers() async throws {
        let llm = makeClient(loggers: [])
        #expect(
            try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: "fine")).text == "fine"
        )
        #expect(
            try await llm.completion(model: "gpt-4o", messages: hi, options: .init(mockResponse: .answer("ok"))).text
                == "ok")
        try await llm.shutdown()
    }
}
