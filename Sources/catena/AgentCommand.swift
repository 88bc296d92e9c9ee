import ArgumentParser
import Catena
import CatenaMCP
import Foundation
import Synchronization

/// `catena agent`: a question answered by an agent that calls the tools of MCP servers.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Answer a question with an agent that calls the tools of MCP servers.",
        discussion: """
            Each tool call, with its arguments and its result, is shown on standard error as it happens; the \
            answer streams to standard output. A server is a command run by the shell (--mcp), or a streamable \
            HTTP URL (--mcp-url); name it with name=… (--mcp 'files=python3 files.py'), or it is named after its \
            command or host. Small models without native tool calling (the local SmolLM2) need --tool-calling json.
            """)

    /// How the model calls tools.
    enum ToolCallingOption: String, ExpressibleByArgument, CaseIterable {
        case native, json
    }

    @Argument(help: "The question.") var question: String
    @Option(name: .customLong("mcp"), help: "An MCP server to start: a command line, run by the shell (repeatable).")
    var stdioServers: [String] = []
    @Option(name: .customLong("mcp-url"), help: "An MCP server over streamable HTTP (repeatable).")
    var httpServers: [String] = []
    @Option(help: "The most model calls in the run.") var maxSteps = 10
    @Option(help: "How many seconds each tool call may take.") var toolTimeout = 30
    @Option(help: "How the model calls tools: native, or json for models without tool calling.")
    var toolCalling = ToolCallingOption.native
    @Flag(help: "Ask before each tool call runs (y to run it; anything else tells the model it was refused).")
    var approve = false
    @Flag(help: "Print the run tree at the end.") var tree = false
    @OptionGroup var model: ModelOptions

    func validate() throws {
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the question is empty")
        }
        if stdioServers.isEmpty && httpServers.isEmpty {
            throw ValidationError("give at least one MCP server (--mcp 'python3 server.py' or --mcp-url URL)")
        }
        if maxSteps < 1 || toolTimeout < 1 { throw ValidationError("--max-steps and --tool-timeout must be positive") }
        _ = try servers()
    }

    func run() async throws {
        let connections = try await connect(try servers())
        do {
            try await answer(with: connections)
        } catch {
            await close(connections)
            throw error
        }
        await close(connections)
    }

    /// Runs the agent with the tools of `connections`, showing what it does.
    private func answer(with connections: [MCPConnection]) async throws {
        var tools: [any Tool] = []
        for connection in connections { tools += try await connection.tools() }
        let lines = Mutex<[String]>([])
        let tracer = ConsoleTracer { line in lines.withLock { $0.append(line) } }
        try await model.withModel { chat in
            let agent = try Agent(
                model: chat, tools: tools, toolCalling: toolCalling == .json ? .json : .native,
                middleware: approve ? [Self.askingFirst] : [],
                options: AgentOptions(maxSteps: maxSteps, maxConcurrency: approve ? 1 : 4))
            let config = RunnableConfig(callbacks: tree ? [tracer] : [])
            for try await update in agent.updates([.user(question)], config: config) {
                show(update)
            }
        }
        if tree { printError("\nrun tree:\n" + lines.withLock { $0 }.joined(separator: "\n")) }
    }

    /// What the agent does, as it does it: tool calls and results on standard error, the answer on standard output.
    private func show(_ update: AgentUpdate) {
        switch update {
        case .token(let text): writeOutput(text)
        case .toolCall, .toolResult: printError("· \(update)")
        case .partialAnswer: break
        case .finished(let result): writeOutput(result.answer.text.isEmpty ? "" : "\n")
        }
    }

    /// The servers the flags name.
    private func servers() throws -> [MCPServerConfiguration] {
        let timeout = Duration.seconds(toolTimeout)
        let stdio = try stdioServers.map { flag in
            let (name, command) = Self.named(flag)
            guard !command.isEmpty else { throw ValidationError("--mcp '\(flag)' has no command") }
            let derived = name ?? Self.name(ofCommand: command)
            return MCPServerConfiguration(
                name: derived, transport: .stdio(["/bin/sh", "-c", "exec " + command]), timeout: timeout)
        }
        let http = try httpServers.map { flag in
            let (name, address) = Self.named(flag)
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme), url.host != nil else {
                throw ValidationError("--mcp-url '\(flag)' is not an http(s) URL")
            }
            return MCPServerConfiguration(
                name: name ?? "\(url.host ?? "remote")\(url.port.map { ":\($0)" } ?? "")", transport: .http(url),
                timeout: timeout)
        }
        return stdio + http
    }

    /// Connects to every server; the first that fails ends the command, naming it.
    private func connect(_ servers: [MCPServerConfiguration]) async throws -> [MCPConnection] {
        var connections: [MCPConnection] = []
        do {
            for server in servers { connections.append(try await MCPConnection.connect(server)) }
        } catch {
            await close(connections)
            throw error
        }
        return connections
    }

    private func close(_ connections: [MCPConnection]) async {
        for connection in connections { await connection.close() }
    }

    /// `name=value` split, or the whole flag as the value.
    static func named(_ flag: String) -> (name: String?, value: String) {
        guard let equals = flag.firstIndex(of: "="),
            flag[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
            !flag[..<equals].isEmpty
        else { return (nil, flag) }
        return (String(flag[..<equals]), String(flag[flag.index(after: equals)...]))
    }

    /// A server's name from its command: its script or program, without folder or extension.
    static func name(ofCommand command: String) -> String {
        let word = command.split(separator: " ").last { !$0.hasPrefix("-") } ?? Substring(command)
        let file = word.split(separator: "/").last ?? word
        return String(file.split(separator: ".").first ?? file)
    }

    /// Asks on the terminal before each tool call; a call not approved is answered to the model as refused.
    static let askingFirst = AgentMiddleware(
        name: "Approval",
        aroundToolCall: { request, next in
            printError("Run \(request.call.name)(\(request.call.arguments))? [y/N] ", terminator: "")
            guard readLine()?.lowercased().hasPrefix("y") == true else {
                return .tool("The user did not allow this call.", callID: request.call.id ?? "")
            }
            return try await next(request)
        })
}
