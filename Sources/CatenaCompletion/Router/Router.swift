public import Catena
public import CatenaOpenAI

/// Spreads calls for a model group over its deployments, with retries, fallbacks to other groups and cooldown of
/// failing deployments (LiteLLM's `Router`). Only failures of the deployment count towards its cooldown, not a
/// caller's bad request, and a deployment alone in its group cools down only after 20 failures in a row. Every attempt is one logged call whose payload carries the routing
/// decisions so far (``LoggingPayload/routing``), all attempts of a request share one trace id.
///
/// ```swift
/// let router = Router(client: llm, configuration: .init(deployments: [
///     RouterDeployment(id: "gpu-a", group: "chat", model: "hosted_vllm/local", options: .init(apiBase: "http://a:8000/v1")),
///     RouterDeployment(id: "gpu-b", group: "chat", model: "hosted_vllm/local", options: .init(apiBase: "http://b:8000/v1")),
/// ], strategy: .leastBusy))
/// let response = try await router.completion(model: "chat", messages: [.user("Hi")])
/// ```
public final class Router: Sendable {
    /// The client that makes the calls (its loggers, cache and prices apply).
    public let client: CompletionClient
    /// The deployments and policies.
    public let configuration: RouterConfiguration
    private let health: DeploymentHealth

    /// Creates a router; `now` is injectable for tests of cooldown.
    public init(
        client: CompletionClient, configuration: RouterConfiguration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.client = client
        self.configuration = configuration
        self.health = DeploymentHealth(now: now)
    }

    /// Answers `messages` from a deployment of the group `model`.
    /// - Throws: ``CompletionError/unknownModelGroup(_:known:)``;
    ///   ``CompletionError/allDeploymentsFailed(group:attempts:)`` with every attempt's error (each
    ///   ``DeploymentCoolingDown`` with its last failure when all were cooling down); or, as it is, the error of a
    ///   request a deployment refused as the caller's (400, 413, 422…), which no other deployment is asked and which
    ///   counts against none.
    public func completion(
        model group: String, messages: [Message], options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) async throws -> CompletionResponse {
        let options = traced(options)
        return try await route(group) { deployment, routing in
            try await self.client.complete(
                model: group, target: deployment.model, messages: messages, options: deployment.merged(into: options),
                metadata: metadata, routing: routing)
        }
    }

    /// Answers a Chat Completions request the caller wrote (`body`, read as `messages` and `options`) from a
    /// deployment of the group `model`, as ``completion(model:messages:options:metadata:)`` does; a deployment
    /// that speaks Chat Completions gets `body` and its answer's bytes come back as they are (see
    /// ``CompletionClient/relay(model:target:body:messages:options:metadata:routing:)``).
    package func relay(
        model group: String, body: [UInt8], messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue] = [:]
    ) async throws -> RelayedAnswer {
        let options = traced(options)
        return try await route(group) { deployment, routing in
            try await self.client.relay(
                model: group, target: deployment.model, body: body, messages: messages,
                options: deployment.merged(into: options), metadata: metadata, routing: routing)
        }
    }

    /// Streams the answer from a deployment of the group `model`. A deployment counts as failed when its stream
    /// fails before the first chunk; once a chunk arrived, the stream stays with that deployment.
    public func streamingCompletion(
        model group: String, messages: [Message], options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) -> RunnableStream<CompletionResponse> {
        routedStream(group, options: options) { deployment, options, routing in
            self.client.stream(
                model: group, target: deployment.model, messages: messages, options: options, metadata: metadata,
                routing: routing)
        }
    }

    /// Streams the answer to a Chat Completions request the caller wrote (`body`, read as `messages` and `options`)
    /// from a deployment of the group `model`, as ``streamingCompletion(model:messages:options:metadata:)`` does; a
    /// deployment that speaks Chat Completions gets `body` and its events come back as they are (see
    /// ``CompletionClient/relayStream(model:target:body:messages:options:metadata:routing:)``).
    package func relayStream(
        model group: String, body: [UInt8], messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue] = [:]
    ) -> RunnableStream<RelayedStreamPiece> {
        routedStream(group, options: options) { deployment, options, routing in
            self.client.relayStream(
                model: group, target: deployment.model, body: body, messages: messages, options: options,
                metadata: metadata, routing: routing)
        }
    }

    /// The stream `open` opens on a deployment of `group` (with the deployment's options merged into `options`),
    /// routed on its first element: a stream that fails before it counts as the deployment's failure.
    private func routedStream<Element: Sendable>(
        _ group: String, options: CompletionOptions,
        open: @escaping @Sendable (RouterDeployment, CompletionOptions, RoutingInformation) -> RunnableStream<Element>
    ) -> RunnableStream<Element> {
        let options = traced(options)
        return RunnableStream {
            var chosen: RunnableStream<Element>.Iterator?
            return {
                if chosen != nil { return try await chosen!.next(isolation: #isolation) }
                let (iterator, first) = try await self.route(group) { deployment, routing in
                    var iterator = open(deployment, deployment.merged(into: options), routing).makeAsyncIterator()
                    let first = try await iterator.next(isolation: #isolation)
                    return (iterator, first)
                }
                chosen = iterator
                return first
            }
        }
    }

    /// Embeds `input` with a deployment of the group `model`, with the same retries, fallbacks and cooldowns.
    /// - Throws: As ``completion(model:messages:options:metadata:)``.
    public func embedding(
        model group: String, input: [String], dimensions: Int? = nil, options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) async throws -> EmbeddingResponse {
        let options = traced(options)
        return try await route(group) { deployment, _ in
            try await self.client.embedding(
                model: deployment.model, input: input, dimensions: dimensions,
                options: deployment.merged(into: options),
                metadata: metadata)
        }
    }

    /// The tokens `messages` take on the group `model`, as its first deployment not cooling down counts them
    /// (see ``CompletionClient/tokenCount(model:messages:options:)``).
    /// - Throws: ``CompletionError/unknownModelGroup(_:known:)``; the deployment's error when it fails to tokenize.
    public func tokenCount(
        model group: String, messages: [Message], options: CompletionOptions = CompletionOptions()
    ) async throws -> TokenCount {
        let deployments = configuration.deployments.filter { $0.group == group }
        guard let deployment = deployments.first(where: { health.coolingDown($0.id) == nil }) ?? deployments.first
        else {
            throw unknownGroup(group)
        }
        return try await client.tokenCount(
            model: deployment.model, messages: messages, options: deployment.merged(into: options))
    }

    /// The options with a trace id, so every attempt of one request shares it.
    private func traced(_ options: CompletionOptions) -> CompletionOptions {
        var options = options
        if options.traceID == nil { options.traceID = client.identifiers.next() }
        return options
    }

    /// Tries deployments of `group`, then of its fallback groups, until `attempt` succeeds.
    nonisolated(nonsending) private func route<T>(
        _ group: String, _ attempt: nonisolated(nonsending) (RouterDeployment, RoutingInformation) async throws -> T
    ) async throws -> T {
        let groups = [group] + (configuration.fallbacks[group] ?? [])
        guard configuration.deployments.contains(where: { $0.group == group }) else { throw unknownGroup(group) }
        var decisions: [RoutingDecision] = []
        var failures: [CompletionError.FailedAttempt] = []
        for (position, current) in groups.enumerated() {
            if position > 0 {
                decisions.append(
                    RoutingDecision(.fellBack, current, reason: "every deployment of '\(groups[position - 1])' failed"))
            }
            for round in 0...configuration.retries {
                if round > 0 {
                    decisions.append(
                        RoutingDecision(.retried, current, reason: "round \(round + 1) of \(configuration.retries + 1)")
                    )
                    try await Task.sleep(for: configuration.retryDelay)
                }
                var tried: Set<String> = []
                while let (deployment, reason) = pick(in: current, excluding: tried, decisions: &decisions) {
                    tried.insert(deployment.id)
                    decisions.append(RoutingDecision(.selected, deployment.id, reason: reason))
                    let routing = RoutingInformation(
                        group: group, attemptGroup: current, deployment: deployment.id,
                        strategy: configuration.strategy.rawValue, decisions: decisions)
                    let start = health.begin(deployment.id)
                    do {
                        let result = try await attempt(deployment, routing)
                        health.succeed(deployment.id, startedAt: start)
                        return result
                    } catch {
                        if Task.isCancelled || error is CancellationError || FailureBlame(error) == .caller {
                            health.release(deployment.id)
                            throw error
                        }
                        let coolsDown = health.fail(
                            deployment.id, error: error, allowedFailures: configuration.allowedFailures,
                            cooldown: configuration.cooldown, alone: isAlone(deployment))
                        decisions.append(RoutingDecision(.failed, deployment.id, reason: "\(error)"))
                        if coolsDown {
                            decisions.append(
                                RoutingDecision(
                                    .cooldownStarted, deployment.id, reason: "for \(configuration.cooldown)"))
                        }
                        failures.append(CompletionError.FailedAttempt(deployment: deployment.id, error: error))
                    }
                }
            }
        }
        if failures.isEmpty {
            // Every deployment was cooling down: say how each last failed.
            failures = configuration.deployments.filter { groups.contains($0.group) }.compactMap { deployment in
                health.coolingDown(deployment.id).map {
                    CompletionError.FailedAttempt(deployment: deployment.id, error: $0)
                }
            }
        }
        throw CompletionError.allDeploymentsFailed(group: group, attempts: failures)
    }

    /// The error for a group no deployment serves, listing those that are.
    private func unknownGroup(_ group: String) -> CompletionError {
        .unknownModelGroup(group, known: Array(Set(configuration.deployments.map(\.group))).sorted())
    }

    /// Whether `deployment` is the only one of its group.
    private func isAlone(_ deployment: RouterDeployment) -> Bool {
        !configuration.deployments.contains { $0.group == deployment.group && $0.id != deployment.id }
    }

    /// The next deployment of `group` by the strategy, among those not tried and not cooling down, and why.
    private func pick(
        in group: String, excluding tried: Set<String>, decisions: inout [RoutingDecision]
    ) -> (RouterDeployment, String)? {
        var candidates: [RouterDeployment] = []
        for deployment in configuration.deployments where deployment.group == group && !tried.contains(deployment.id) {
            if health.coolingDown(deployment.id) != nil {
                let skipped = RoutingDecision(.skippedCoolingDown, deployment.id, reason: "cooling down after failing")
                if !decisions.contains(where: { $0.action == .skippedCoolingDown && $0.target == deployment.id }) {
                    decisions.append(skipped)
                }
            } else {
                candidates.append(deployment)
            }
        }
        guard !candidates.isEmpty else { return nil }
        switch configuration.strategy {
        case .simpleShuffle:
            return (candidates.randomOrOnlyElement!, "simple-shuffle among \(candidates.count)")
        case .leastBusy:
            let states = health.snapshot(candidates.map(\.id))
            let fewest = candidates.map { states[$0.id]!.inFlight }.min()!
            let chosen = candidates.filter { states[$0.id]!.inFlight == fewest }.randomOrOnlyElement!
            return (chosen, "least-busy: \(fewest) in flight")
        case .lowestLatency:
            let states = health.snapshot(candidates.map(\.id))
            if let unmeasured = candidates.first(where: { states[$0.id]!.latency == nil }) {
                return (unmeasured, "lowest-latency: not measured yet")
            }
            let chosen = candidates.min { states[$0.id]!.latency! < states[$1.id]!.latency! }!
            return (chosen, "lowest-latency: \(states[chosen.id]!.latency!) average")
        }
    }
}

extension RouterDeployment {
    /// A call's options with this deployment's endpoint, credentials, transport and price; no client retries unless
    /// the deployment or the call asks for them.
    func merged(into call: CompletionOptions) -> CompletionOptions {
        var merged = call
        merged.apiBase = options.apiBase ?? call.apiBase
        merged.apiKey = options.apiKey ?? call.apiKey
        merged.timeout = options.timeout ?? call.timeout
        merged.streamTimeout = options.streamTimeout ?? call.streamTimeout
        merged.connectTimeout = options.connectTimeout ?? call.connectTimeout
        // The router owns retries (its rounds, its deployments): a deployment's client tries once unless the
        // deployment or the call sets its own retries.
        merged.maxRetries = options.maxRetries ?? call.maxRetries ?? 0
        merged.headers = call.headers.merging(options.headers) { _, deployment in deployment }
        merged.price = options.price ?? call.price
        merged.mockResponse = options.mockResponse ?? call.mockResponse
        return merged
    }
}

extension Collection {
    /// A random element, or the only one without drawing from the system's random source (a system call per request
    /// on a group of one deployment: `scripts/gateway-bench.sh`).
    fileprivate var randomOrOnlyElement: Element? { count == 1 ? first : randomElement() }
}
