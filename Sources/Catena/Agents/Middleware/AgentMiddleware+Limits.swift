extension AgentMiddleware {
    /// What a limit does once it is reached.
    public enum LimitBehavior: Sendable, Hashable {
        /// The run ends with an assistant message saying which limit was reached.
        case end
        /// The run fails with ``AgentError/callLimitReached(_:limit:conversation:)``.
        case fail
    }

    /// At most `limit` model calls per run (LangChain's `ModelCallLimitMiddleware`).
    public static func modelCallLimit(_ limit: Int, onLimit: LimitBehavior = .end) -> AgentMiddleware {
        AgentMiddleware(
            name: "ModelCallLimit",
            beforeModel: { state in
                guard state.modelCalls >= limit else { return }
                switch onLimit {
                case .end:
                    state.end(with: .assistant("The model call limit of this run (\(limit)) was reached."))
                case .fail:
                    throw AgentError.callLimitReached("model calls", limit: limit, conversation: state.messages)
                }
            })
    }

    /// At most `limit` calls of each tool per run, or of the tool named `tool` only (LangChain's
    /// `ToolCallLimitMiddleware`). A call past the limit is not run: the model is told the limit was reached.
    public static func toolCallLimit(_ limit: Int, tool: String? = nil) -> AgentMiddleware {
        AgentMiddleware(
            name: "ToolCallLimit",
            aroundToolCall: { request, next in
                let name = request.call.name
                guard tool == nil || tool == name, request.priorCalls >= limit else { return try await next(request) }
                return .tool(
                    "Error: tool '\(name)' may be called \(limit) times in a run, and was; do not call it again.",
                    callID: request.call.id ?? "")
            })
    }

    /// Tool calls that throw are tried again as `policy` says (LangChain's `ToolRetryMiddleware`): every tool's,
    /// or those of the tools named in `tools`.
    public static func toolRetry(_ policy: RetryPolicy, tools: Set<String>? = nil) -> AgentMiddleware {
        AgentMiddleware(
            name: "ToolRetry",
            aroundToolCall: { request, next in
                guard tools?.contains(request.call.name) ?? true else { return try await next(request) }
                return try await policy.run { _ in try await next(request) }
            })
    }

    /// When the model call throws, the same request goes to each of `models` in turn, with the tools bound
    /// (LangChain's `ModelFallbackMiddleware`). The last model's error is thrown when every model fails.
    public static func modelFallback(_ models: [any ToolCallingChatModel]) -> AgentMiddleware {
        AgentMiddleware(
            name: "ModelFallback",
            aroundModelCall: { request, next in
                do {
                    return try await next(request)
                } catch let error where !(error is CancellationError) {
                    var lastError = error
                    for model in models {
                        var fallback = request
                        fallback.model = offering(request.tools, to: model)
                        do {
                            return try await next(fallback)
                        } catch let error where !(error is CancellationError) {
                            lastError = error
                        }
                    }
                    throw lastError
                }
            })
    }
}

/// `model` with `tools` bound (as it is, when there are none).
private func offering<Model: ToolCallingChatModel>(_ tools: [ToolDefinition], to model: Model)
    -> any Runnable<PromptValue, Message>
{
    tools.isEmpty ? model : model.bindingTools(tools, choice: nil)
}

extension AgentMiddleware {
    /// Stops the run before any call of the tools named in `tools` runs, throwing an ``AgentInterrupt`` that lists
    /// the calls (LangChain's `HumanInTheLoopMiddleware`). ``Agent/resume(_:decisions:config:)-(AgentInterrupt,_,_)`` goes on with a
    /// decision on each: approve, edit or reject.
    public static func humanInTheLoop(before tools: Set<String>) -> AgentMiddleware {
        AgentMiddleware(
            name: "HumanInTheLoop",
            afterModel: { state in
                let calls = state.messages.last?.toolCalls ?? []
                let pending = calls.filter { tools.contains($0.name) && state.decisions[$0.id ?? ""] == nil }
                guard !pending.isEmpty else { return }
                // Calls of the same turn that need no decision are approved with them.
                for call in calls where !tools.contains(call.name) { state.decisions[call.id ?? ""] = .approve }
                throw AgentInterrupt(pending: pending, state: state)
            })
    }
}
