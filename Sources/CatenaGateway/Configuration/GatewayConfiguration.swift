public import CatenaMCP

/// A gateway's configuration, in the shape of LiteLLM's proxy `config.yaml` where it fits: the models it serves,
/// how it routes among their deployments, its response cache and its general settings. Load one with
/// ``GatewayConfiguration/load(path:environment:)``.
///
/// ```yaml
/// model_list:
///   - model_name: local                       # what clients ask for
///     litellm_params:
///       model: hosted_vllm/local              # provider/model behind it
///       api_base: http://127.0.0.1:8089/v1
///       api_key: os.environ/LOCAL_KEY         # read from the environment
///       input_cost_per_token: 0.0000001
///       output_cost_per_token: 0.0000002
/// router_settings:
///   routing_strategy: least-busy
///   num_retries: 1
///   fallbacks: [{local: [backup]}]
/// litellm_settings:
///   cache: true
///   cache_params: {type: redis, host: 127.0.0.1, port: 6379}
/// general_settings:
///   master_key: os.environ/CATENA_MASTER_KEY
/// mcp_servers:
///   files: {command: python3, args: [files_server.py]}
/// ```
public struct GatewayConfiguration: Sendable, Decodable {
    /// The deployments, each under the public model name clients ask for (several may share one: the router
    /// spreads calls over them).
    public var modelList: [ModelEntry]
    /// How calls are routed among a model's deployments.
    public var routerSettings: RouterSettings
    /// The response cache (`litellm_settings`, as LiteLLM names the section).
    public var cacheSettings: CacheSettings
    /// Keys, limits and the server.
    public var generalSettings: GeneralSettings
    /// The MCP servers whose tools `/mcp` relays, each tool's name prefixed with its server's and `-`.
    public var mcpServers: [MCPServerConfiguration]

    /// Creates a configuration.
    public init(
        modelList: [ModelEntry], routerSettings: RouterSettings = RouterSettings(),
        cacheSettings: CacheSettings = CacheSettings(), generalSettings: GeneralSettings = GeneralSettings(),
        mcpServers: [MCPServerConfiguration] = []
    ) {
        self.modelList = modelList
        self.routerSettings = routerSettings
        self.cacheSettings = cacheSettings
        self.generalSettings = generalSettings
        self.mcpServers = mcpServers
    }

    public init(from decoder: any Decoder) throws {
        let section = try decoder.section([
            "model_list", "router_settings", "litellm_settings", "general_settings", "mcp_servers",
        ])
        modelList = try section.required("model_list")
        routerSettings = try section.optional("router_settings") ?? RouterSettings()
        cacheSettings = try section.optional("litellm_settings") ?? CacheSettings()
        generalSettings = try section.optional("general_settings") ?? GeneralSettings()
        mcpServers = try section.optional("mcp_servers", as: MCPServers.self)?.servers ?? []
    }
}
