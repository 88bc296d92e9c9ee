import Catena
import CatenaTesting
import InMemoryTracing
import Testing
import Tracing

/// An agent's spans under the GenAI conventions: `invoke_agent` over its `chat` and `execute_tool` spans.
extension TelemetryTests {
    @Test func anAgentIsAnInvokeAgentSpanOverItsChatAndExecuteToolSpans() async throws {
        let tool = FunctionTool<Weather>(name: "weather", description: "The weather", parameters: ["type": "object"]) {
            "sunny in \($0.city)"
        }
        let model = ScriptedChatModel(replies: [
            .assistant("", toolCalls: [ToolCall(id: "c1", name: "weather", arguments: #"{"city":"Oslo"}"#)]),
            .assistant("Sunny."),
        ])
        let agent = try Agent(
            name: "forecaster", model: model, tools: [tool],
            middleware: [AgentMiddleware(name: "Noop", beforeModel: { _ in })])
        let (tracer, _) = try await withTelemetry { _ = try await agent.invoke([.user("Oslo?")]) }
        let spans = tracer.finishedSpans
        let root = try #require(spans.first { $0.parentSpanID == nil })
        #expect(root.operationName == "invoke_agent forecaster" && root.kind == .internal)
        #expect(root.attributes.get("gen_ai.operation.name") == "invoke_agent")
        #expect(root.attributes.get("gen_ai.agent.name") == "forecaster")
        let children = spans.filter { $0.parentSpanID == root.spanID }
        #expect(children.filter { $0.attributes.get("gen_ai.operation.name") == "chat" }.count == 2)
        #expect(children.filter { $0.operationName == "execute_tool weather" }.count == 1)
        // The marking is the agent's run's own: its hooks and models are not agents.
        #expect(spans.filter { $0.attributes.get("gen_ai.operation.name") == "invoke_agent" }.count == 1)
        #expect(children.filter { $0.operationName == "Noop.before_model" }.count == 2)
    }
}
