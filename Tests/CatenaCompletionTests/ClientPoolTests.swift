import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Testing
import CatenaTestServices

/// Calls with many different keys share one connection pool instead of opening one each.
@Suite struct ClientPoolTests {
    @Test("10,000 distinct keys: one connection pool, and a bounded number of clients kept")
    func distinctKeysShareOneTransport() throws {
        let pool = ClientPool(capacity: 1_024)
        let endpoint = ServerEndpoint.openAICompatible(baseURL: "http://127.0.0.1:9/v1")
        for number in 0..<10_000 {
            let key = ClientPool.Key(endpoint: endpoint, apiKey: Secret("sk-\(number)"), options: CompletionOptions())
            _ = pool.client(for: key) { ModelServerConfiguration(endpoint: endpoint, apiKey: Secret("sk-\(number)")) }
        }
        let (transports, clients) = pool.counts
        #expect(transports == 1)
        #expect(clients <= 1_024)
        // Other timeouts need a pool of their own (AsyncHTTPClient sets them per pool).
        var options = CompletionOptions()
        options.timeout = .seconds(5)
        _ = pool.client(for: ClientPool.Key(endpoint: endpoint, options: options)) {
            ModelServerConfiguration(endpoint: endpoint).applying(ClientPool.Key(endpoint: endpoint, options: options))
        }
        #expect(pool.counts.transports == 2)
    }

    @Test("completion() with a different key on every call reuses one connection")
    func perCallKeysReuseOneConnection() async throws {
        try await withServer(answering("ok")) { server in
            let llm = makeClient()
            for number in 0..<200 {
                let options = CompletionOptions(apiBase: server.baseURL, apiKey: Secret("sk-caller-\(number)"))
                let response = try await llm.completion(model: "openai/m", messages: hi, options: options)
                #expect(response.text == "ok")
            }
            #expect(server.requests.count == 200)
            #expect(Set(server.requests.map { $0.headers["authorization"] ?? "" }).count == 200)
            #expect(server.connections == 1)
            try await llm.shutdown()
        }
    }
}
