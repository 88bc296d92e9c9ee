/// Where an ``Agent`` run stands, as its middleware sees and changes it.
public struct AgentState: Sendable, Hashable, Codable {
    /// The conversation so far: the input, then each model turn and tool answer.
    public var messages: [Message]
    /// How many model calls the run has made.
    public internal(set) var modelCalls = 0
    /// How many calls of each tool the run has made (or answered without running, as a limit does), by name.
    public internal(set) var toolCalls: [String: Int] = [:]
    /// The answer a hook ended the run with, if one did.
    public internal(set) var endedWith: Message?
    /// The decisions a resumed run was given, by tool call id (see ``Agent/resume(_:decisions:config:)-(AgentInterrupt,_,_)``).
    public internal(set) var decisions: [String: ToolDecision] = [:]
    /// The answers of the last turn's tool calls so far, by the calls' positions, while they run (a checkpoint
    /// taken then keeps the ones that finished).
    var turnAnswers: [Message?] = []

    /// Creates a state for a run of `messages`.
    public init(messages: [Message]) {
        self.messages = messages
    }

    /// Ends the run after this hook, with `answer` as the final message (a limit reached, a request blocked).
    public mutating func end(with answer: Message) {
        messages.append(answer)
        endedWith = answer
    }
}

extension AgentState {
    /// Takes `decisions` on the last turn's tool calls: edited arguments replace the model's.
    /// - Throws: ``CatenaError`` (`invalidInput`) when a call of the last turn has none.
    mutating func decide(_ decisions: [String: ToolDecision]) throws(CatenaError) {
        guard let last = messages.indices.last else { return }
        var calls = messages[last].toolCalls
        for index in calls.indices {
            let id = calls[index].id ?? ""
            guard let decision = decisions[id] ?? self.decisions[id] else {
                throw CatenaError(.invalidInput, "no decision for tool call '\(id)' (\(calls[index].name))")
            }
            if case .edit(let arguments) = decision { calls[index].arguments = arguments.jsonString }
            self.decisions[id] = decision
        }
        messages[last].toolCalls = calls
    }
}

/// What a person decided about a tool call an ``Agent`` run waits for.
public enum ToolDecision: Sendable, Hashable, Codable {
    /// Run it as the model asked.
    case approve
    /// Run it with these arguments instead.
    case edit(arguments: JSONValue)
    /// Do not run it; the model is told it was rejected, and why.
    case reject(reason: String)
}

/// A run stopped to wait for decisions on tool calls (``AgentMiddleware/humanInTheLoop(before:)``). Resume it with
/// ``Agent/resume(_:decisions:config:)-(AgentInterrupt,_,_)``; the interrupt holds everything the run needs to go on.
public struct AgentInterrupt: Error, Sendable, CustomStringConvertible {
    /// The calls waiting for a decision.
    public let pending: [ToolCall]
    /// Where the run stands: the conversation, its last message the model's turn with the calls.
    public let state: AgentState

    public var description: String {
        "the agent waits for a decision on " + pending.map { "\($0.name)(\($0.arguments))" }.joined(separator: ", ")
    }
}

/// One model call of an ``Agent`` run, as ``AgentMiddleware/aroundModelCall`` sees and may change it.
public struct AgentModelRequest: Sendable {
    /// The conversation the model is sent.
    public var messages: [Message]
    /// The model that answers: the agent's, with its tools bound; a middleware may put another in its place.
    public var model: any Runnable<PromptValue, Message>
    /// The tools offered to the model.
    public var tools: [ToolDefinition]
    /// Which model call of the run this is, from 1 (ids of tool calls read from JSON turns are made from it).
    let step: Int
}

/// One tool call of an ``Agent`` run, as ``AgentMiddleware/aroundToolCall`` sees it.
public struct AgentToolRequest: Sendable {
    /// The call the model asked for.
    public var call: ToolCall
    /// How many calls of the same tool the run made before this one (earlier in the same turn included).
    public var priorCalls: Int
}

/// Runs a model call: the next middleware's hook, or the call itself.
public typealias AgentModelCall = @Sendable (AgentModelRequest) async throws -> Message
/// Runs a tool call: the next middleware's hook, or the tool itself (its error thrown).
public typealias AgentToolCall = @Sendable (AgentToolRequest) async throws -> Message
/// A hook that reads and changes an ``AgentState``.
public typealias AgentStateHook = @Sendable (inout AgentState) async throws -> Void
