import CatenaMacros
import CatenaTesting
import Testing

/// A tool whose schema is derived from its arguments type: what the model is offered, and what it may send.
@Suite struct DerivedToolTests {
    static let weather = FunctionTool(name: "weather", description: "The weather in a city") {
        (query: WeatherQuery) in "\(query.stops.count) stops, \(query.unit.rawValue) in \(query.city)"
    }

    @Test func theModelIsOfferedTheDerivedSchema() throws {
        let agent = try Agent(model: ScriptedChatModel(replies: []), tools: [Self.weather])
        #expect(
            agent.model.tools == [
                ToolDefinition(
                    name: "weather", description: "The weather in a city", parameters: WeatherQuery.jsonSchema)
            ])
    }

    @Test func argumentsThatDoNotFitTheSchemaGoBackToTheModelNamingTheField() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant(
                "",
                toolCalls: [
                    ToolCall(
                        id: "c1", name: "weather", arguments: #"{"city":"Oslo","unit":"kelvin","stops":[],"tags":{}}"#),
                    ToolCall(
                        id: "c2", name: "weather", arguments: #"{"city":"Oslo","unit":"celsius","stops":[],"tags":{}}"#
                    ),
                ]),
            .assistant("Done."),
        ])
        let result = try await Agent(model: model, tools: [Self.weather]).invoke([.user("Oslo?")])
        #expect(
            result.messages[2].text
                == #"Error: the arguments of tool 'weather' do not fit its schema: field 'unit' should be one of "#
                + #""celsius", "F", not "kelvin""#)
        #expect(result.messages[3].text == "0 stops, celsius in Oslo")
    }
}
