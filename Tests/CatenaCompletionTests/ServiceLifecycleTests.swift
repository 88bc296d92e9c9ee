import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Logging
import ServiceLifecycle
import Testing
import CatenaTestServices

/// Clients run in a `ServiceGroup`: a graceful shutdown delivers what is pending, then closes the connections.
@Suite struct ServiceLifecycleTests {
    @Test func aGracefulShutdownDeliversEveryLoggingEventThenClosesTheClients() async throws {
        try await withServer(answering("ok")) { server in
            let slow = RecordingLogger(delay: .milliseconds(10))
            let llm = makeClient(loggers: [slow])
            let modelServer = ModelServerClient(.openAICompatible(baseURL: server.baseURL))
            let model = ChatVLLM(client: modelServer, model: "m")
            let group = ServiceGroup(
                configuration: .init(services: [llm, modelServer], logger: Logger(label: "test.lifecycle")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for _ in 0..<4 {
                    _ = try await llm.completion(
                        model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
                }
                #expect(try await model.invoke("hi").text == "ok")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            // Every hook of every call was delivered before the client closed.
            #expect(slow.hooks.filter { $0 == "success" }.count == 4)
            #expect(slow.hooks.count == 12)
            // Closed: the model's requests fail, and so do new calls, clearly, instead of logging into a closed queue.
            let closed = await #expect(throws: ModelServerError.self) { try await model.invoke("hi") }
            #expect(closed?.description.contains("the client was shut down") == true)
            #expect(closed?.isRetryable == false)
            let error = await #expect(throws: CompletionError.self) {
                try await llm.completion(model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
            }
            #expect(error?.description.contains("shut down") == true)
            await llm.flush()  // returns: nothing is left to deliver
        }
    }
}
