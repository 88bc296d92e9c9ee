import CatenaCompletion
import CatenaOpenAI
import CatenaGateway
import CatenaMCP
import Foundation
import Testing

/// The gateway's YAML configuration: LiteLLM's shape, environment references, and errors that name the line and key.
@Suite struct GatewayConfigurationTests {
    @Test func aLiteLLMStyleConfigurationReads() throws {
        let yaml = """
            model_list:
              - model_name: chat
                litellm_params:
                  model: hosted_vllm/local
                  api_base: http://127.0.0.1:8089/v1
                  api_key: os.environ/LOCAL_KEY
                  input_cost_per_token: 0.000001
                  output_cost_per_token: 0.000002
                  stream_timeout: 10
                model_info: {id: gpu-a}
              - model_name: chat
                litellm_params: {model: hosted_vllm/local, api_base: http://127.0.0.1:8090/v1}
            router_settings:
              routing_strategy: least-busy
              num_retries: 2
              fallbacks: [{chat: [small]}]
              cooldown_time: 5
              timeout: 60
              connect_timeout: 2
            litellm_settings:
              cache: true
              cache_params: {type: redis, host: 10.0.0.2, port: 6380, ttl: 60}
            general_settings:
              master_key: os.environ/MASTER
            """
        let configuration = try GatewayConfiguration.load(
            yaml: yaml, environment: ["LOCAL_KEY": "sk-local", "MASTER": "sk-master"])
        #expect(configuration.modelList.map(\.modelName) == ["chat", "chat"])
        #expect(configuration.modelList[0].id == "gpu-a")
        #expect(configuration.modelList[0].parameters.apiKey == "sk-local")
        #expect(configuration.modelList[0].parameters.inputCostPerToken == 0.000001)
        #expect(configuration.modelList[1].parameters.apiBase == "http://127.0.0.1:8090/v1")
        #expect(configuration.routerSettings.routingStrategy == .leastBusy)
        #expect(configuration.routerSettings.numRetries == 2)
        #expect(configuration.routerSettings.fallbacks == ["chat": ["small"]])
        #expect(configuration.routerSettings.cooldownTime == 5)
        // Timeouts: the router's for every deployment, a deployment's own over them, the defaults under both.
        #expect(configuration.routerSettings.timeouts == .init(connect: 2, answer: 60, stream: 30))
        #expect(configuration.modelList[0].parameters.timeouts == .init(stream: 10))
        #expect(configuration.cacheSettings.store == .redis(host: "10.0.0.2", port: 6380))
        #expect(configuration.cacheSettings.ttl == 60)
        #expect(configuration.generalSettings.masterKey?.value == "sk-master")
        // The key never shows in a description.
        #expect(!"\(configuration.generalSettings)".contains("sk-master"))
    }

    @Test func mcpServersRead() throws {
        let yaml = """
            model_list: []
            mcp_servers:
              files:
                command: python3
                args: [files_server.py, --root, /srv]
                env: {TOKEN: os.environ/FILES_TOKEN}
                timeout: 5
              search: {url: "http://127.0.0.1:9000/mcp"}
            """
        let servers = try GatewayConfiguration.load(yaml: yaml, environment: ["FILES_TOKEN": "t"]).mcpServers
        #expect(servers.map(\.name) == ["files", "search"])
        guard case .stdio(let command, let environment) = servers[0].transport else {
            Issue.record("files is not a stdio server")
            return
        }
        #expect(command == ["python3", "files_server.py", "--root", "/srv"])
        #expect(environment == ["TOKEN": "t"])
        #expect(servers[0].timeout == .seconds(5))
        guard case .http(let url) = servers[1].transport else {
            Issue.record("search is not an HTTP server")
            return
        }
        #expect(url.absoluteString == "http://127.0.0.1:9000/mcp")
        #expect(servers[1].timeout == .seconds(30))
    }

    @Test(
        "each mistake names the line and the key",
        arguments: [
            (
                "model_list:\n  - model_name: a\n    litellm_params: {model: x/y, apibase: u}\n", 3,
                "model_list[0].litellm_params.apibase", "unknown key 'apibase'"
            ),
            ("model_list:\n  - model_name: a\n", 2, "model_list[0]", "'litellm_params' is missing"),
            (
                "model_list:\n  - model_name: a\n    litellm_params:\n      model: x/y\n      api_key: os.environ/NOPE\n",
                5,
                "model_list[0].litellm_params.api_key", "NOPE is not set"
            ),
            (
                "model_list:\n  - model_name: a\n    litellm_params: {model: x/y, timeout: soon}\n", 3,
                "model_list[0].litellm_params.timeout", "expected a number"
            ),
            ("model_list: [\n", 2, "", "invalid YAML"),
            (
                "model_list: []\nrouter_settings: {cooldown_time: .inf}\n", 2, "router_settings.cooldown_time",
                "expected a number of seconds"
            ),
            ("general_settings: {master_key: k}\n", nil, "", "'model_list' is missing"),
            (
                "model_list: []\nlitellm_settings: {cache: true, cache_params: {type: memcached}}\n", 2,
                "litellm_settings.cache_params.type", "unknown cache type 'memcached'"
            ),
            (
                "model_list: []\nmcp_servers:\n  files: {transport: sse, url: 'http://h/sse'}\n", 3,
                "mcp_servers.files.transport", "expected stdio or http, got 'sse'"
            ),
            (
                "model_list: []\nmcp_servers:\n  files: {transport: stdio}\n", 3, "mcp_servers.files.command",
                "a stdio server needs a command"
            ),
            (
                "model_list: []\nmcp_servers:\n  files: {url: 'ftp://h/mcp'}\n", 3, "mcp_servers.files.url",
                "expected an http(s) URL"
            ),
            (
                "model_list: []\nmcp_servers:\n  my-files: {command: x}\n", 3, "mcp_servers.my-files",
                "letters, digits and _"
            ),
            (
                "model_list: []\nmcp_servers:\n  files: {command: x, cwd: /tmp}\n", 3, "mcp_servers.files.cwd",
                "unknown key 'cwd'"
            ),
        ] as [(String, Int?, String, String)])
    func mistakesAreNamed(yaml: String, line: Int?, key: String, reason: String) {
        let error = #expect(throws: GatewayConfigurationError.self) {
            try GatewayConfiguration.load(yaml: yaml, file: "gateway.yaml", environment: [:])
        }
        #expect(error?.key == key)
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
        if let line { #expect(error?.line == line, "\(error?.description ?? "")") }
        #expect(error?.description.hasPrefix("gateway.yaml") == true)
    }
}
