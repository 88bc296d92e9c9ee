import CatenaMacros
import CatenaTesting
import Testing

/// `withStructuredOutput`: the schema asked for, and the answer checked and decoded.
@Suite struct StructuredOutputTests {
    @Test func theAnswerIsDecodedIntoTheType() async throws {
        let model = ScriptedChatModel(replies: [
            .assistant(
                #"{"city": "Oslo", "unit": "celsius", "stops": [{"stop_name": "Bergen", "minutes": 7}], "tags": {}}"#)
        ])
        let query = try await model.withStructuredOutput(WeatherQuery.self).invoke("Plan a trip.")
        #expect(query.city == "Oslo" && query.unit == .celsius && query.stops.map(\.name) == ["Bergen"])
        #expect(query.days == nil)
    }

    @Test func theRequestAsksForTheTypesSchema() {
        let model = ScriptedChatModel(replies: []).withResponseFormat(
            .jsonSchema(name: "WeatherQuery", schema: WeatherQuery.jsonSchema, strict: false))
        #expect(
            model.responseFormat == .jsonSchema(name: "WeatherQuery", schema: WeatherQuery.jsonSchema, strict: false))
    }

    @Test(arguments: [
        ("It is sunny.", "invalid JSON"),
        (#"{"city": "Oslo"}"#, "the answer does not fit WeatherQuery: field 'unit' is required"),
        // Decodable, but not what the schema allows: a derived type is checked against its schema, not only decoded.
        (
            #"{"city": "Oslo", "unit": "F", "stops": [], "tags": {}, "town": "x"}"#,
            "the answer does not fit WeatherQuery: field 'town' is not expected"
        ),
    ])
    func anAnswerThatDoesNotFitIsAnOutputParsingError(answer: String, message: String) async throws {
        let model = ScriptedChatModel(replies: [.assistant(answer)])
        let error = await #expect(throws: OutputParserError.self) {
            try await model.withStructuredOutput(WeatherQuery.self).invoke("?")
        }
        #expect(error?.reason.contains(message) == true)
        #expect(error?.rawOutput == answer)
    }
}
