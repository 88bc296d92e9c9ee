import CatenaCompletion

extension GatewayConfiguration {
    /// One deployment of a public model name.
    public struct ModelEntry: Sendable, Decodable {
        /// The name clients ask for.
        public var modelName: String
        /// Where the calls go, and how (`litellm_params`, as LiteLLM names them).
        public var parameters: DeploymentParameters
        /// The deployment's id in routing decisions and logs (`model_info.id`; default: the name and position).
        public var id: String?

        /// Creates an entry.
        public init(modelName: String, parameters: DeploymentParameters, id: String? = nil) {
            self.modelName = modelName
            self.parameters = parameters
            self.id = id
        }

        public init(from decoder: any Decoder) throws {
            let section = try decoder.section(["model_name", "litellm_params", "model_info"])
            modelName = try section.required("model_name")
            parameters = try section.required("litellm_params")
            id = try section.optional("model_info", as: ModelInfo.self)?.id
        }

        /// The `model_info` section.
        private struct ModelInfo: Decodable {
            var id: String?
            init(from decoder: any Decoder) throws {
                id = try decoder.section(["id"]).optional("id")
            }
        }
    }

    /// A deployment: the provider's model, its server, key, price and limits.
    public struct DeploymentParameters: Sendable, Decodable {
        /// `provider/model`, as `completion()` takes it (`hosted_vllm/local`, `openai/gpt-4o-mini`, `anthropic/…`).
        public var model: String
        /// The server, instead of the provider's default.
        public var apiBase: String?
        /// The key (write `os.environ/NAME` to read it from the environment).
        public var apiKey: String?
        /// Price of a prompt token, in US dollars (with the output price, it replaces the price table's).
        public var inputCostPerToken: Double?
        /// Price of a generated token, in US dollars.
        public var outputCostPerToken: Double?
        /// How long this deployment may take (`connect_timeout`, `timeout`, `stream_timeout`), over
        /// `router_settings`' timeouts.
        public var timeouts: UpstreamTimeouts
        /// Retries of one attempt on this deployment (429, 5xx, lost connections).
        public var maxRetries: Int?

        /// Creates parameters.
        public init(
            model: String, apiBase: String? = nil, apiKey: String? = nil, inputCostPerToken: Double? = nil,
            outputCostPerToken: Double? = nil, timeouts: UpstreamTimeouts = UpstreamTimeouts(), maxRetries: Int? = nil
        ) {
            self.model = model
            self.apiBase = apiBase
            self.apiKey = apiKey
            self.inputCostPerToken = inputCostPerToken
            self.outputCostPerToken = outputCostPerToken
            self.timeouts = timeouts
            self.maxRetries = maxRetries
        }

        public init(from decoder: any Decoder) throws {
            let section = try decoder.section(
                [
                    "model", "api_base", "api_key", "input_cost_per_token", "output_cost_per_token", "max_retries",
                ] + UpstreamTimeouts.names)
            model = try section.required("model")
            apiBase = try section.optional("api_base")
            apiKey = try section.optional("api_key")
            inputCostPerToken = try section.optional("input_cost_per_token")
            outputCostPerToken = try section.optional("output_cost_per_token")
            timeouts = try UpstreamTimeouts(section: section)
            maxRetries = try section.optional("max_retries")
        }

        /// The price the two costs give, when both are set.
        var price: ModelPrice? {
            guard let inputCostPerToken, let outputCostPerToken else { return nil }
            return ModelPrice(inputCostPerToken: inputCostPerToken, outputCostPerToken: outputCostPerToken)
        }
    }
}
