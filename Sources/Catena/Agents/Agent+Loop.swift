/// Hands an update to the consumer of ``Agent/updates(_:config:)``.
typealias AgentReport = @Sendable (AgentUpdate) async -> Void

/// How an agent's run begins.
enum AgentRunStart: Sendable {
    /// A new run: the `beforeAgent` hooks run first.
    case fresh
    /// A run that stopped (its process died) going on from its last checkpoint.
    case resumed
    /// An interrupted run going on with these decisions on the calls it waited for.
    case decided([String: ToolDecision])
}

extension Agent {
    /// The loop: model turns and their tool calls, until a turn asks for none or a hook ends the run; a checkpoint
    /// after each step when `journal` is given. A resumed run goes on where its state stopped: the tool calls of its
    /// last turn that have no answer yet, or the end of a run whose model already answered.
    ///
    /// Everything but the model call is done in functions of its own: this function's frame is held through every
    /// model call, so it stays small (the row "1,000 concurrent agent runs … memory per in-flight call").
    func run(
        _ start: AgentState, _ how: AgentRunStart, journal: AgentJournal? = nil, context: RunContext,
        report: AgentReport?
    ) async throws -> AgentResult {
        var state = start
        var journal = journal
        do {
            var modelAnswered = try await begin(how, &state, &journal, context: context)
            let callModel = modelCallChain(context: context, report: report)
            while state.endedWith == nil {
                if !modelAnswered {
                    guard try await startModelStep(&state, context: context) else { break }
                    let request = AgentModelRequest(
                        messages: state.messages, model: model, tools: boundTools, step: state.modelCalls)
                    let reply =
                        if let callModel {
                            try await callModel(request)
                        } else {
                            try await modelTurn(request, context: context, report: report)
                        }
                    state.messages.append(reply)
                    try await endStep(
                        \.afterModel, "after_model", reversed: true, .running, &state, &journal, context: context)
                }
                modelAnswered = false
                guard state.endedWith == nil, let calls = state.messages.last?.toolCalls, !calls.isEmpty else { break }
                try await answer(calls, in: &state, journal: &journal, context: context, report: report)
            }
            try await endStep(
                \.afterAgent, "after_agent", reversed: true, .finished, &state, &journal, context: context)
        } catch {
            try await journal?.saveIfInterrupted(by: error)
            throw error
        }
        return AgentResult(messages: state.messages, steps: state.modelCalls)
    }

    /// Starts a run as `how` says; whether its model has already answered the last turn (a resumed run).
    @inline(never)
    private func begin(
        _ how: AgentRunStart, _ state: inout AgentState, _ journal: inout AgentJournal?, context: RunContext
    ) async throws -> Bool {
        switch how {
        case .fresh:
            try await endStep(\.beforeAgent, "before_agent", .running, &state, &journal, context: context)
            return false
        case .resumed:
            return state.messages.last?.role == .assistant
        case .decided(let decisions):
            try state.decide(decisions)
            return state.messages.last?.role == .assistant
        }
    }

    /// Counts a model call about to be made, after the step limit and the `beforeModel` hooks; `false` when a hook
    /// ended the run instead.
    /// - Throws: ``AgentError/stepLimitReached(limit:conversation:)``; a hook's error.
    @inline(never)
    private func startModelStep(_ state: inout AgentState, context: RunContext) async throws -> Bool {
        guard state.modelCalls < options.maxSteps else {
            throw AgentError.stepLimitReached(limit: options.maxSteps, conversation: state.messages)
        }
        try await runHooks(\.beforeModel, "before_model", on: &state, context: context)
        guard state.endedWith == nil else { return false }
        state.modelCalls += 1
        return true
    }

    /// Ends a step: the middleware's `hook`, then a checkpoint of where the run stands.
    @inline(never)
    private func endStep(
        _ hook: KeyPath<AgentMiddleware, AgentStateHook?>, _ name: String, reversed: Bool = false,
        _ status: AgentCheckpoint.Status, _ state: inout AgentState, _ journal: inout AgentJournal?,
        context: RunContext
    ) async throws {
        try await runHooks(hook, name, reversed: reversed, on: &state, context: context)
        try await journal?.save(state, status)
    }

    /// The tools as the model is offered them.
    private var boundTools: [ToolDefinition] { jsonToolCalls == nil ? tools.map(\.definition) : [] }

    /// Runs each middleware's `hook` on `state` (last to first when `reversed`), each as a chain run named
    /// `<middleware>.<name>`, stopping when one ends the run. Checked first without a call: the hooks' frame is
    /// large, and a task keeps the memory its deepest frames took (the row "1,000 concurrent agent runs … memory
    /// per in-flight call").
    @inline(__always)
    private func runHooks(
        _ hook: KeyPath<AgentMiddleware, AgentStateHook?>, _ name: String, reversed: Bool = false,
        on state: inout AgentState, context: RunContext
    ) async throws {
        guard middleware.contains(where: { $0[keyPath: hook] != nil }) else { return }
        try await runEachHook(hook, name, reversed: reversed, on: &state, context: context)
    }

    /// ``runHooks(_:_:reversed:on:context:)`` once there are hooks to run.
    @inline(never)
    private func runEachHook(
        _ hook: KeyPath<AgentMiddleware, AgentStateHook?>, _ name: String, reversed: Bool,
        on state: inout AgentState, context: RunContext
    ) async throws {
        for middleware in reversed ? middleware.reversed() : middleware {
            guard let body = middleware[keyPath: hook], state.endedWith == nil else { continue }
            let before = state
            state = try await context.traceChain(name: "\(middleware.name).\(name)", input: JSONValue.null) {
                child, _ in
                try await child.makeCurrent {
                    var changed = before
                    try await body(&changed)
                    return changed
                }
            }
        }
    }

    /// A model call through every middleware's ``AgentMiddleware/aroundModelCall``, the first outermost; `nil`
    /// when none has one (the loop calls the model itself).
    private func modelCallChain(context: RunContext, report: AgentReport?) -> AgentModelCall? {
        guard middleware.contains(where: { $0.aroundModelCall != nil }) else { return nil }
        let innermost: AgentModelCall = { request in
            try await self.modelTurn(request, context: context, report: report)
        }
        return middleware.reversed().reduce(innermost) { next, middleware in
            guard let around = middleware.aroundModelCall else { return next }
            return { request in try await around(request, next) }
        }
    }

    /// The model's reply to `request`; streamed when updates are reported, so its tokens (and a typed answer as far
    /// as it has come) can be. A JSON turn is read whole, its answer reported once read, unless it is a typed value,
    /// reported as it streams. The plain call is made here, the others apart: this frame is held through the call.
    private func modelTurn(_ request: AgentModelRequest, context: RunContext, report: AgentReport?) async throws
        -> Message
    {
        guard jsonToolCalls == nil && report == nil else {
            return try await reportedOrJSONTurn(request, context: context, report: report)
        }
        return try await request.model.invoke(.messages(request.messages), context: context)
    }

    /// ``modelTurn(_:context:report:)`` with updates reported or JSON turns.
    @inline(never)
    private func reportedOrJSONTurn(_ request: AgentModelRequest, context: RunContext, report: AgentReport?)
        async throws -> Message
    {
        let prompt = PromptValue.messages(jsonToolCalls?.prepared(request.messages) ?? request.messages)
        let reply =
            if let report, jsonToolCalls?.answerIsValue ?? true {
                try await streamed(request.model, prompt, context: context, report: report)
            } else {
                try await request.model.invoke(prompt, context: context)
            }
        guard let jsonToolCalls else { return reply }
        let read = jsonToolCalls.interpreted(reply, id: "call_\(request.step)")
        if read.toolCalls.isEmpty && !jsonToolCalls.answerIsValue { await report?(.token(read.text)) }
        return read
    }

    /// The reply of `model` to `prompt`, streamed: its text reported token by token (unless it is a JSON turn), and
    /// the typed answer each time it grows.
    @inline(never)
    private func streamed(
        _ model: any Runnable<PromptValue, Message>, _ prompt: PromptValue, context: RunContext, report: AgentReport
    ) async throws -> Message {
        var reply: Message?
        var answer: JSONValue?
        for try await chunk in model.stream(prompt, context: context) {
            let merged = reply.map { $0 + chunk } ?? chunk
            reply = merged
            if jsonToolCalls == nil && !chunk.text.isEmpty { await report(.token(chunk.text)) }
            if let grown = partialAnswer(in: merged), grown != answer {
                answer = grown
                await report(.partialAnswer(grown))
            }
        }
        return reply ?? .assistant("")
    }

    /// The typed answer as far as `reply` has streamed it: the arguments of the answer tool so far, or the answer
    /// of a JSON turn; `nil` for an agent without a typed answer, or before the answer starts.
    private func partialAnswer(in reply: Message) -> JSONValue? {
        if let answerTool {
            return reply.toolCalls.last { $0.name == answerTool }.flatMap { PartialJSON.parse($0.arguments) }
        }
        guard jsonToolCalls?.answerIsValue == true, case .object(let turn)? = PartialJSON.parse(reply.text) else {
            return nil
        }
        return turn["answer"]
    }

    /// Answers the tool calls of the last turn that have none yet (a checkpoint after each), at most
    /// ``AgentOptions/maxConcurrency`` at once, then adds the answers to the conversation in the calls' order. Apart
    /// from the loop, so that the loop's frame, held through every model call, does not hold this one's.
    @inline(never)
    private func answer(
        _ calls: [ToolCall], in state: inout AgentState, journal: inout AgentJournal?, context: RunContext,
        report: AgentReport?
    ) async throws {
        var counts = state.toolCalls
        let requests = calls.map { call in
            defer { counts[call.name, default: 0] += 1 }
            return AgentToolRequest(call: call, priorCalls: counts[call.name, default: 0])
        }
        if state.turnAnswers.count != calls.count { state.turnAnswers = Array(repeating: nil, count: calls.count) }
        let open = requests.indices.filter { state.turnAnswers[$0] == nil }
        let callTool = toolCallChain(context: context)
        let (decisions, conversation) = (state.decisions, state.messages)
        try await withThrowingTaskGroup(of: (Int, Message).self) { group in
            var started = 0
            func startNext() {
                let index = open[started]
                let request = requests[index]
                let decision = decisions[request.call.id ?? ""]
                group.addTask {
                    await report?(.toolCall(request.call))
                    let answer =
                        if case .reject(let reason) = decision {
                            Message.tool("The user rejected this call: \(reason)", callID: request.call.id ?? "")
                        } else {
                            try await self.answer(request, with: callTool, after: conversation)
                        }
                    await report?(.toolResult(request.call, answer))
                    return (index, answer)
                }
                started += 1
            }
            while started < min(options.maxConcurrency, open.count) { startNext() }
            while let (index, answer) = try await group.next() {
                state.turnAnswers[index] = answer
                try await journal?.save(state, .running)
                if started < open.count { startNext() }
            }
        }
        state.messages += state.turnAnswers.compactMap(\.self)
        state.turnAnswers = []
        state.toolCalls = counts
    }

    /// A tool call through every middleware's ``AgentMiddleware/aroundToolCall``, the first outermost.
    private func toolCallChain(context: RunContext) -> AgentToolCall {
        let innermost: AgentToolCall = { request in try await self.runTool(request.call, context: context) }
        return middleware.reversed().reduce(innermost) { next, middleware in
            guard let around = middleware.aroundToolCall else { return next }
            return { request in try await around(request, next) }
        }
    }

    /// The tool message answering `request`: the tool's output, or its error as the model is told it (unless the
    /// run is set to fail on it).
    private func answer(_ request: AgentToolRequest, with callTool: AgentToolCall, after conversation: [Message])
        async throws -> Message
    {
        let call = request.call
        do {
            return try await callTool(request)
        } catch let error where options.toolFailure == .answerModel && !(error is CancellationError) {
            return .tool("Error: \(error)", callID: call.id ?? "")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AgentError.toolFailed(tool: call.name, callID: call.id, underlying: error, conversation: conversation)
        }
    }

    /// Runs the tool `call` names, as a child run; a call the model got wrong (an unknown tool, arguments that are
    /// not JSON or do not fit the tool's schema) is answered with an error naming the tool and the field.
    /// - Throws: The tool's error.
    private func runTool(_ call: ToolCall, context: RunContext) async throws -> Message {
        let callID = call.id ?? ""
        guard let tool = toolsByName[call.name] else {
            let names = tools.map { "'\($0.name)'" }.joined(separator: ", ")
            return .tool("Error: there is no tool named '\(call.name)'; the tools are \(names).", callID: callID)
        }
        let arguments: JSONValue
        do {
            arguments = try call.parsedArguments()
            try arguments.check(against: tool.parameters)
        } catch let violation as SchemaViolation {
            return .tool(
                "Error: the arguments of tool '\(call.name)' do not fit its schema: \(violation)", callID: callID)
        } catch {
            return .tool(
                "Error: the arguments of tool '\(call.name)' are not valid JSON: \(call.arguments)", callID: callID)
        }
        if let tool = tool as? any ContentTool {
            return .tool(try await tool.invokeForContent(arguments, context: context), callID: callID)
        }
        return .tool(try await tool.invoke(arguments, context: context), callID: callID)
    }
}
