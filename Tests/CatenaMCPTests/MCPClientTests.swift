import Catena
import CatenaMCP
import CatenaTesting
import Foundation
import Testing

/// A Python MCP server's tools, over stdio and streamable HTTP, as Catena tools: their schemas, results (text,
/// structured content, errors), timeouts, cancellation, a changed list, and servers that misbehave.
@Suite(MCPTestServers.available, .timeLimit(.minutes(2)))
struct MCPClientTests {
    @Test func theServersToolsComeWithTheirSchemas() async throws {
        let tools = try await MCPTestServers.withStdio { try await $0.tools() }
        #expect(Set(tools.map(\.name)).isSuperset(of: ["echo", "add", "forecast", "fail", "slow", "learn", "crash"]))
        let add = try #require(tools.first { $0.name == "add" })
        #expect(add.description == "Adds two integers.")
        #expect(add.parameters["properties"]?["a"]?["type"] == "integer")
        #expect(add.parameters["required"] == ["a", "b"])
    }

    @Test func resultsCarryTextStructuredContentAndErrors() async throws {
        try await MCPTestServers.withStdio { server in
            #expect(try await server.call("echo", arguments: ["text": "hi"]).text == "hi")
            let forecast = try await server.call("forecast", arguments: ["city": "Oslo"])
            #expect(forecast.structuredContent == ["city": "Oslo", "celsius": 21.5])
            #expect(!forecast.isError)
            let failed = try await server.call("fail", arguments: ["message": "no such city"])
            #expect(failed.isError)
            #expect(failed.text.contains("no such city"))
        }
    }

    @Test func aToolsErrorNamesTheServerAndTheTool() async throws {
        try await MCPTestServers.withStdio(name: "weather") { server in
            let fail = try #require(try await server.tools().first { $0.name == "fail" })
            let error = await #expect(throws: MCPServerError.self) {
                try await fail.invoke(["message": "no such city"])
            }
            #expect(error?.server == "weather" && error?.tool == "fail")
            #expect(error?.description.contains("tool 'fail' of MCP server 'weather' reported an error") == true)
        }
    }

    @Test func aCallPastTheTimeoutFailsAndTheConnectionGoesOn() async throws {
        let clock = ManualClock()
        try await MCPTestServers.withStdio(timeout: .seconds(1), clock: clock) { server in
            let slow = Task { try await server.call("slow", arguments: ["seconds": 30]) }
            try await MCPTestServers.waitForSleeper(on: clock)
            clock.advance(by: .seconds(1))
            let error = await #expect(throws: MCPServerError.self) { try await slow.value }
            #expect(error?.reason == .timedOut(.seconds(1)) && error?.tool == "slow")
            let after = try await server.call("echo", arguments: ["text": "still here"])
            #expect(after.text == "still here")
        }
    }

    @Test func aCancelledCallStopsAndTheConnectionGoesOn() async throws {
        try await MCPTestServers.withStdio { server in
            let call = Task { try await server.call("slow", arguments: ["seconds": 30]) }
            try await Task.sleep(for: .milliseconds(200))
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            let after = try await server.call("echo", arguments: ["text": "after"])
            #expect(after.text == "after")
        }
    }

    @Test func progressReachesHandlersAsCustomEventsOfTheToolRun() async throws {
        try await MCPTestServers.withStdio { server in
            let steps = try #require(try await server.tools().first { $0.name == "steps" })
            let recorder = RecordingCallbackHandler()
            let answer = try await steps.invoke(["count": 3], config: RunnableConfig(callbacks: [recorder]))
            #expect(answer == "3 steps")
            let progress = recorder.events.compactMap { event -> JSONValue? in
                guard case .customEvent(MCPTool.progressEvent, let data) = event.payload else { return nil }
                return data
            }
            #expect(progress.map { $0["progress"] } == [1.0, 2.0, 3.0])
            #expect(progress.last == ["progress": 3.0, "total": 3.0, "message": "step 3"])
            #expect(recorder.hookNames.last == "on_tool_end")
        }
    }

    @Test func aChangedToolListIsListedAgain() async throws {
        try await MCPTestServers.withStdio { server in
            #expect(try await !server.tools().contains { $0.name == "fresh" })
            _ = try await server.call("learn", arguments: ["name": "fresh"])
            var names: [String] = []
            for _ in 0..<100 where !names.contains("fresh") {
                names = try await server.tools().map(\.name)
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(names.contains("fresh"))
            #expect(try await server.call("fresh", arguments: [:]).text == "learned")
        }
    }

    @Test func aServerThatExitsMidCallFailsTheCallNotTheProcess() async throws {
        try await MCPTestServers.withStdio(name: "fragile") { server in
            let error = await #expect(throws: MCPServerError.self) {
                try await server.call("crash", arguments: [:])
            }
            #expect(error?.reason == .disconnected && error?.server == "fragile")
        }
        // Another server is not affected.
        #expect(
            try await MCPTestServers.withStdio { try await $0.call("echo", arguments: ["text": "ok"]).text } == "ok")
    }

    @Test func anAnswerPastTheSizeLimitFailsItsCallAndTheConnectionGoesOn() async throws {
        let clock = ManualClock()
        try await MCPTestServers.withStdio(name: "big", timeout: .seconds(5), clock: clock) { server in
            let huge = Task { try await server.call("huge", arguments: ["megabytes": 20]) }
            try await MCPTestServers.waitForSleeper(on: clock)
            // The 20 MiB answer is dropped, never delivered: this call's answer is read past it (or before it).
            let during = try await server.call("echo", arguments: ["text": "small"])
            #expect(during.text == "small")
            clock.advance(by: .seconds(5))
            let error = await #expect(throws: MCPServerError.self) { try await huge.value }
            #expect(error?.reason == .timedOut(.seconds(5)) && error?.tool == "huge" && error?.server == "big")
            let after = try await server.call("echo", arguments: ["text": "still here"])
            #expect(after.text == "still here")
        }
    }

    @Test func aFloodOfNotificationsDoesNotStopTheAnswer() async throws {
        try await MCPTestServers.withStdio { server in
            let answer = try await server.call("flood", arguments: ["count": 2_000])
            #expect(answer.text == "sent 2000")
        }
    }

    @Test func aServerThatAnswersGarbageTimesOutNamingIt() async throws {
        let garbage = MCPServerConfiguration(
            name: "garbage", transport: .stdio(["sh", "-c", "while read line; do echo 'not json {'; done"]),
            startupTimeout: .seconds(1))
        let clock = ManualClock()
        let connecting = Task { try await MCPConnection.connect(garbage, clock: clock) }
        try await MCPTestServers.waitForSleeper(on: clock)
        clock.advance(by: .seconds(1))
        let error = await #expect(throws: MCPServerError.self) { try await connecting.value }
        #expect(error?.server == "garbage")
        #expect(error?.reason == .timedOut(.seconds(1)))
    }

    @Test func aServerThatCannotStartIsUnreachable() async throws {
        let missing = MCPServerConfiguration(
            name: "missing", transport: .stdio(["/nonexistent/server"]), timeout: .seconds(5))
        let error = await #expect(throws: MCPServerError.self) { try await MCPConnection.connect(missing) }
        #expect(error?.server == "missing")
    }

    @Test func imagesResourcesAndPromptsAreRead() async throws {
        try await MCPTestServers.withStdio { server in
            let pixel = try await server.call("pixel", arguments: [:])
            guard case .imageURL(let url, _)? = pixel.content.first else {
                Issue.record("no image part: \(pixel.content)")
                return
            }
            #expect(url.hasPrefix("data:image/png;base64,iVBORw0KGgo"))
            let tool = try #require(try await server.tools().first { $0.name == "pixel" })
            #expect(try await tool.answer([:]).hasImages)

            let resources = try await server.resources()
            #expect(
                resources == [
                    MCPResource(
                        uri: "docs://readme", name: "readme", description: "What Catena is.", mimeType: "text/markdown")
                ])
            let readme = try await server.readResource("docs://readme")
            #expect(readme.first?.text == "# Catena\nPipelines for language models.")
            let unknown = await #expect(throws: MCPServerError.self) { try await server.readResource("docs://nope") }
            #expect(unknown?.server == "tools")

            let prompts = try await server.prompts()
            #expect(prompts.map(\.name) == ["review"])
            #expect(prompts.first?.arguments == [MCPPrompt.Argument(name: "code", isRequired: true)])
            let messages = try await server.prompt("review", arguments: ["code": "let x = 1"])
            #expect(messages == [.user("Review this code:\nlet x = 1")])
        }
    }

    @Test func anAgentShowsTheModelAToolsImage() async throws {
        try await MCPTestServers.withStdio { server in
            let model = ScriptedChatModel(replies: [
                .assistant("", toolCalls: [ToolCall(id: "c1", name: "pixel", arguments: "{}")]),
                .assistant("A single pixel."),
            ])
            let agent = try Agent(model: model, tools: try await server.tools())
            _ = try await agent.invoke([.user("What is in the picture?")])
            let answer = try #require(model.calls.last?.last)
            #expect(answer.role == .tool && answer.toolCallID == "c1" && answer.content.hasImages)
        }
    }

    @Test func overStreamableHTTPToolsListAndAnswer() async throws {
        try await MCPTestServers.withHTTP { server in
            #expect(try await server.tools().contains { $0.name == "forecast" })
            #expect(try await server.call("echo", arguments: ["text": "over http"]).text == "over http")
            let forecast = try await server.call("forecast", arguments: ["city": "Oslo"])
            #expect(forecast.structuredContent == ["city": "Oslo", "celsius": 21.5])
        }
    }

    @Test func anAgentCallsAnMCPToolAsAChildRun() async throws {
        try await MCPTestServers.withStdio { server in
            let model = ScriptedChatModel(replies: [
                .assistant("", toolCalls: [ToolCall(id: "c1", name: "add", arguments: #"{"a":2,"b":3}"#)]),
                .assistant("It is 5."),
            ])
            let recorder = RecordingCallbackHandler()
            let agent = try Agent(model: model, tools: try await server.tools())
            let result = try await agent.invoke([.user("2 + 3?")], config: RunnableConfig(callbacks: [recorder]))
            #expect(result.messages[2] == .tool("5", callID: "c1"))
            #expect(recorder.events.contains { $0.run.name == "add" && $0.hookName == "on_tool_start" })
        }
    }
}
