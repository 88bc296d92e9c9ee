import Catena
import CatenaTesting
import Testing

@Suite struct RetrieverTests {
    let retriever = InMemoryRetriever(
        [
            Document(pageContent: "Swift is a programming language", id: "swift"),
            Document(pageContent: "Bears eat honey and fish", id: "bears"),
            Document(pageContent: "Honey bees make honey", id: "bees"),
        ], limit: 2)

    @Test func rankingByMatchingWordsThenOrder() async throws {
        #expect(try await retriever.invoke("what do BEARS eat").map(\.id) == ["bears"])
        #expect(try await retriever.invoke("honey bees").map(\.id) == ["bees", "bears"])
        #expect(try await retriever.invoke("nothing here").isEmpty)
        #expect(try await InMemoryRetriever(retriever.documents, limit: -1).invoke("honey").isEmpty)
    }

    @Test func aRetrieverRunIsReportedWithItsQueryAndDocuments() async throws {
        let recorder = RecordingCallbackHandler()
        let chain = retriever | { (documents: [Document]) in documents.map(\.pageContent).joined(separator: "\n") }
        _ = try await chain.invoke("bears", config: .init(callbacks: [recorder]))
        let run = try #require(recorder.events.first { $0.run.type == .retriever }?.run)
        #expect(run.name == "InMemoryRetriever" && run.tags == ["seq:step:1"])
        #expect(recorder.events(of: run.id).map(\.hookName) == ["on_retriever_start", "on_retriever_end"])
        guard case .retrieverEnd(let documents) = recorder.events(of: run.id).last?.payload else { return }
        #expect(documents.map(\.id) == ["bears"])
    }

    @Test func aFailingRetrieverReportsItsError() async throws {
        struct Down: Retriever {
            func retrieve(_ query: String) async throws -> [Document] { throw CatenaError(.invalidInput, "index down") }
        }
        let recorder = RecordingCallbackHandler()
        await #expect(throws: CatenaError.self) {
            _ = try await Down().invoke("q", config: .init(callbacks: [recorder]))
        }
        #expect(recorder.hookNames == ["on_retriever_start", "on_retriever_error"])
    }

    @Test func streamEventsNameRetrieverRuns() async throws {
        let events = try await retriever.streamEvents("honey").collect()
        #expect(events.map(\.event) == ["on_retriever_start", "on_retriever_end"])
        #expect(events[0].data.input?.json == ["query": "honey"])
        #expect(events[1].data.output?.as([Document].self)?.map(\.id) == ["bears", "bees"])
    }
}
