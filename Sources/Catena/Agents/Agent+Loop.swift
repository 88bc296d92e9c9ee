/// Hands an update to the consumer of ``Agent/updates(_:config:)``.
typealias AgentReport = @Sendable (AgentUpdate) async -> Void

extension Agent {
    /// The loop: model turns and their tool calls, until a turn asks for none.
    func run(_ input: [Message], context: RunContext, report: AgentReport?) async throws -> AgentResult {
        var conversation = input
        var steps = 0
        while true {
            guard steps < options.maxSteps else {
                throw AgentError.stepLimitReached(limit: options.maxSteps, conversation: conversation)
            }
            steps += 1
            let reply = try await modelTurn(conversation, step: steps, context: context, report: report)
            conversation.append(reply)
            if reply.toolCalls.isEmpty { return AgentResult(messages: conversation, steps: steps) }
            conversation += try await answers(
                to: reply.toolCalls, after: conversation, context: context, report: report)
        }
    }

    /// The model's reply to `conversation`; streamed when updates are reported, so its tokens can be (a JSON turn
    /// is read whole, and only its answer reported).
    private func modelTurn(_ conversation: [Message], step: Int, context: RunContext, report: AgentReport?)
        async throws -> Message
    {
        if let jsonToolCalls {
            let reply = try await model.invoke(.messages(jsonToolCalls.prepared(conversation)), context: context)
            let read = jsonToolCalls.interpreted(reply, step: step)
            if read.toolCalls.isEmpty { await report?(.token(read.text)) }
            return read
        }
        guard let report else { return try await model.invoke(.messages(conversation), context: context) }
        var reply: Message?
        for try await chunk in model.stream(.messages(conversation), context: context) {
            if !chunk.text.isEmpty { await report(.token(chunk.text)) }
            reply = reply.map { $0 + chunk } ?? chunk
        }
        return reply ?? .assistant("")
    }

    /// The tool messages answering `calls`, in their order; at most ``AgentOptions/maxConcurrency`` run at once.
    private func answers(
        to calls: [ToolCall], after conversation: [Message], context: RunContext, report: AgentReport?
    ) async throws -> [Message] {
        var answers = [Message?](repeating: nil, count: calls.count)
        try await withThrowingTaskGroup(of: (Int, Message).self) { group in
            var started = 0
            func startNext() {
                let (index, call) = (started, calls[started])
                group.addTask {
                    await report?(.toolCall(call))
                    let answer = try await self.answer(to: call, after: conversation, context: context)
                    await report?(.toolResult(call, answer))
                    return (index, answer)
                }
                started += 1
            }
            while started < min(options.maxConcurrency, calls.count) { startNext() }
            while let (index, answer) = try await group.next() {
                answers[index] = answer
                if started < calls.count { startNext() }
            }
        }
        return answers.compactMap(\.self)
    }

    /// The tool message answering `call`: the tool's output, or an error the model is told about (an unknown
    /// tool, arguments that are not JSON or do not fit the tool's schema, and the tool's own error unless the run
    /// is set to fail on it).
    private func answer(to call: ToolCall, after conversation: [Message], context: RunContext) async throws
        -> Message
    {
        let callID = call.id ?? ""
        guard let tool = toolsByName[call.name] else {
            let names = tools.map { "'\($0.name)'" }.joined(separator: ", ")
            return .tool("Error: there is no tool named '\(call.name)'; the tools are \(names).", callID: callID)
        }
        let arguments: JSONValue
        do {
            arguments = try call.parsedArguments()
        } catch {
            return .tool(
                "Error: the arguments of tool '\(call.name)' are not valid JSON: \(call.arguments)", callID: callID)
        }
        do {
            try arguments.check(against: tool.parameters)
        } catch {
            return .tool(
                "Error: the arguments of tool '\(call.name)' do not fit its schema: \(error)", callID: callID)
        }
        do {
            return .tool(try await tool.invoke(arguments, context: context), callID: callID)
        } catch let error where options.toolFailure == .answerModel && !(error is CancellationError) {
            return .tool("Error: \(error)", callID: callID)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AgentError.toolFailed(tool: call.name, callID: call.id, underlying: error, conversation: conversation)
        }
    }
}
