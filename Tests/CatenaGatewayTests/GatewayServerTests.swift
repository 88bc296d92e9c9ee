import Catena
import CatenaTestingServer
import Foundation
import Testing

/// The gateway over HTTP: in front of the real local model server, and of a fault server for what a real server
/// does not do on demand.
// Three minutes: the local model server answers slowly while the whole test run loads the machine.
@Suite(.timeLimit(.minutes(3)))
struct GatewayServerTests {
    static let model = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]

    /// A new SQLite path for the keys of one gateway.
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("catena-gateway-\(UUID().uuidString).sqlite").path
    }

    /// A configuration with one model, `local`, at `baseURL`, behind the master key `sk-master`.
    static func configuration(baseURL: String, extra: String = "") -> String {
        """
        model_list:
          - model_name: local
            litellm_params:
              model: hosted_vllm/local
              api_base: \(baseURL)
              max_retries: 0
        general_settings:
          master_key: sk-master
          database_path: \(temporaryDatabase())
        \(extra)
        """
    }

    @Test(
        "plain and streamed chat completions from the local model, in OpenAI's shapes",
        .enabled(if: model != nil, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func chatCompletionsFromTheLocalModel() async throws {
        try await RunningGateway.with(Self.configuration(baseURL: try #require(Self.model))) { gateway in
            let plain = try await gateway.send(
                "/v1/chat/completions",
                body: #"{"model":"local","messages":[{"role":"user","content":"Say hi."}],"max_tokens":8}"#)
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.json["object"] == "chat.completion")
            #expect(plain.json["choices"]?[0]?["message"]?["role"] == "assistant")
            #expect((plain.json["usage"]?["completion_tokens"]?.intValue ?? 0) > 0)

            // Without `stream_options.include_usage` no chunk carries the usage; with it, the last chunk does.
            for includeUsage in [false, true] {
                let streamed = try await gateway.send(
                    "/v1/chat/completions",
                    body:
                        #"{"model":"local","messages":[{"role":"user","content":"Say hi."}],"max_tokens":8,"stream":true,"#
                        + #""stream_options":{"include_usage":\#(includeUsage)}}"#)
                #expect(streamed.status == 200)
                #expect(streamed.contentType == "text/event-stream")
                // The server closes a streamed response's connection; it says so, so the next request opens another.
                #expect(streamed.header("connection") == "close")
                let events = streamed.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.last == "data: [DONE]")
                let chunks = try events.dropLast().map { try JSONValue(parsing: String($0.dropFirst("data: ".count))) }
                #expect(chunks.count > 1)
                #expect(
                    chunks.allSatisfy { chunk in chunk["object"] == "chat.completion.chunk" && chunk["model"] == "local"
                    })
                let withUsage = chunks.filter { chunk in chunk["usage"]?["completion_tokens"] != nil }
                #expect(withUsage.count == (includeUsage ? 1 : 0), "\(streamed.text)")
            }

            let models = try await gateway.send("/v1/models")
            #expect(models.json["data"]?[0]?["id"] == "local")
            let model = try await gateway.send("/v1/models/local")
            #expect(model.status == 200)
            #expect(model.json["id"] == "local" && model.json["object"] == "model")
            let unknown = try await gateway.send("/v1/models/big")
            #expect(unknown.status == 404)
            #expect(unknown.json["error"]?["code"] == "model_not_found")
        }
    }

    @Test(
        "a completions request the gateway cannot serve is refused, naming the field",
        arguments: [
            (#"{"model":"local","prompt":[1,2]}"#, "prompt"), (#"{"model":"local","prompt":["a","b"]}"#, "prompt"),
            (#"{"model":"local","prompt":"hi","echo":true}"#, "echo"),
            (#"{"model":"local","prompt":"hi","sufix":"!"}"#, "sufix"),
        ])
    func badTextCompletionRequests(body: String, param: String) async throws {
        try await RunningGateway.with(Self.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            let reply = try await gateway.send("/v1/completions", body: body)
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["param"]?.stringValue == param, "\(reply.text)")
        }
    }

    @Test func requestsWithoutTheKeyOrWithAnotherAreRefusedButHealthIsOpen() async throws {
        try await RunningGateway.with(Self.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            let missing = try await gateway.send("/v1/models", key: nil)
            #expect(missing.status == 401)
            #expect(missing.json["error"]?["type"] == "authentication_error")
            let wrong = try await gateway.send("/v1/models", key: "sk-other")
            #expect(wrong.status == 401)
            #expect(wrong.json["error"]?["message"] == "Invalid API key")
            #expect(try await gateway.send("/health", key: nil).status == 200)
        }
    }

    @Test(
        "bad requests get OpenAI's error shape with the field named",
        arguments: [
            ("{", 400, nil), ("[]", 400, nil), (#"{"messages":[{"role":"user","content":"hi"}]}"#, 400, "model"),
            (#"{"model":"local","messages":[]}"#, 400, "messages"),
            (#"{"model":"local","messages":"hi"}"#, 400, "messages"),
            (#"{"model":"local","messages":[{"role":"robot","content":"hi"}]}"#, 400, "messages[0].role"),
            (#"{"model":"local","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}"#, 400, "temperature"),
            (#"{"model":"local","messages":[{"role":"user","content":"hi"}],"temprature":1}"#, 400, "temprature"),
            (#"{"model":"big","messages":[{"role":"user","content":"hi"}]}"#, 404, "model"),
            (#"{"model":"local","messages":[{"role":"user"}]}"#, 400, "messages[0].content"),
            (#"{"model":"local","messages":[{"role":"assistant","content":null}]}"#, 400, "messages[0].content"),
            (#"{"model":"local","messages":[{"role":"user","content":"hi"}],"max_tokens":-1}"#, 400, "max_tokens"),
            (
                #"{"model":"local","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":0}"#, 400,
                "max_completion_tokens"
            ),
        ] as [(String, Int, String?)])
    func badRequests(body: String, status: Int, param: String?) async throws {
        try await RunningGateway.with(Self.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            let reply = try await gateway.send("/v1/chat/completions", body: body)
            #expect(reply.status == status, "\(reply.text)")
            #expect(reply.json["error"]?["param"] == (param.map(JSONValue.string) ?? .null))
            #expect(reply.json["error"]?["message"]?.stringValue?.isEmpty == false)
            if status == 404 {
                #expect(reply.json["error"]?["message"]?.stringValue?.contains("available models: local") == true)
            }
        }
    }

    @Test func anUnknownRouteIsA404AndAWrongMethodA405InOpenAIsShape() async throws {
        try await RunningGateway.with(Self.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            let unknown = try await gateway.send("/v1/nope")
            #expect(unknown.status == 404)
            #expect(unknown.json["error"]?["message"] == "no route GET /v1/nope")
            let wrongMethod = try await gateway.send("/v1/chat/completions")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "POST")
            #expect(wrongMethod.json["error"]?["code"] == "method_not_allowed")
            let posted = try await gateway.send("/v1/models", body: "{}")
            #expect(posted.status == 405)
            #expect(posted.header("allow") == "GET")
        }
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let config = Self.configuration(baseURL: "http://127.0.0.1:9/v1", extra: "  max_request_size_mb: 0.001")
        try await RunningGateway.with(config) { gateway in
            let large = String(repeating: "x", count: 4_096)
            let reply = try await gateway.send(
                "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"\#(large)"}]}"#)
            #expect(reply.status == 413)
            #expect(reply.json["error"]?["code"] == "request_too_large")
        }
    }

    @Test func aFrozenUpstreamTimesOutAfterTheConfiguredTimeouts() async throws {
        // One upstream never answers; the other sends a stream's head and first chunk, then nothing more.
        let silent = try await FaultServer.start { _, _ in [.delay(.seconds(60))] }
        let stalled = try await FaultServer.start { _, _ in
            [
                .head(200, ["content-type": "text/event-stream"]),
                .body(
                    #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}"#
                        + "\n\n"),
                .delay(.seconds(60)),
            ]
        }
        // Long enough for a loaded machine to send the stalled stream's first chunk in time.
        let timeouts = "router_settings:\n  timeout: 1\n  stream_timeout: 5\n"
        try await RunningGateway.with(Self.configuration(baseURL: silent.baseURL, extra: timeouts)) { gateway in
            for stream in [false, true] {
                let reply = try await gateway.send(
                    "/v1/chat/completions",
                    body: #"{"model":"local","messages":[{"role":"user","content":"hi"}],"stream":\#(stream)}"#,
                    timeout: .seconds(20))
                #expect(reply.status == 504, "stream \(stream): \(reply.text)")
                #expect(reply.json["error"]?["code"] == "upstream_timeout")
            }
        }
        try await RunningGateway.with(Self.configuration(baseURL: stalled.baseURL, extra: timeouts)) { gateway in
            let reply = try await gateway.send(
                "/v1/chat/completions",
                body: #"{"model":"local","messages":[{"role":"user","content":"hi"}],"stream":true}"#,
                timeout: .seconds(20))
            // The status was sent with the first chunk: the timeout between chunks ends the stream with an error event.
            #expect(reply.status == 200)
            #expect(reply.text.contains(#""content":"Hi""#) && reply.text.contains("timed out"), "\(reply.text)")
        }
        try await silent.shutdown()
        try await stalled.shutdown()
    }

    @Test func anUpstreamThatIsDownOrAnswersGarbageIsA502WithItsError() async throws {
        try await RunningGateway.with(Self.configuration(baseURL: "http://127.0.0.1:9/v1")) { gateway in
            let down = try await gateway.send(
                "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(down.status == 502)
            #expect(down.json["error"]?["message"]?.stringValue?.contains("cannot connect") == true)
            // The deployment is alone in its group: it cools down only after 20 failures in a row, and then the
            // caller is told how it last failed and when to try again.
            for _ in 2...20 {
                _ = try await gateway.send(
                    "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#)
            }
            let cooling = try await gateway.send(
                "/v1/chat/completions", body: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(cooling.status == 503)
            #expect(cooling.json["error"]?["code"] == "no_deployment_available")
            let message = cooling.json["error"]?["message"]?.stringValue ?? ""
            #expect(
                message.contains("cooling down for") && message.contains("cannot connect to http://127.0.0.1:9/v1"),
                "\(message)")
            #expect(Int(cooling.header("retry-after") ?? "") ?? 0 > 0)
        }
        let garbage = try await FaultServer.start { _, _ in FaultServer.json(200, "<html>not json</html>") }
        for stream in [false, true] {
            try await RunningGateway.with(Self.configuration(baseURL: garbage.baseURL)) { gateway in
                let request = #"{"model":"local","messages":[{"role":"user","content":"hi"}],"stream":\#(stream)}"#
                let reply = try await gateway.send("/v1/chat/completions", body: request)
                #expect(reply.status == 502, "stream \(stream): \(reply.text)")
                #expect(reply.json["error"]?["code"] == "upstream_error")
            }
        }
        try await garbage.shutdown()
    }
}
