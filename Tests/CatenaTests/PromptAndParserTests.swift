import Catena
import CatenaTesting
import Testing

@Suite struct PromptAndParserTests {
    @Test func promptTemplateFormatsAndEscapesBraces() throws {
        let prompt = PromptTemplate("Tell {who} about {topic}; JSON looks like {{\"a\": 1}}.")
        #expect(prompt.inputVariables == ["who", "topic"])
        #expect(
            try prompt.format(["who": "Ada", "topic": "sets"]) == "Tell Ada about sets; JSON looks like {\"a\": 1}.")
    }

    @Test(arguments: ["unclosed {brace", "lone } brace", "empty {} name"])
    func malformedTemplatesFailClearly(_ template: String) {
        let error = #expect(throws: CatenaError.self) { try PromptTemplate(template).format([:]) }
        #expect(error?.code == .invalidTemplate)
        #expect(error?.message.contains("offset") == true)
    }

    @Test func chatTemplateWithPlaceholders() async throws {
        let prompt = ChatPromptTemplate([
            .system("you are {persona}"), .placeholder("history"), .placeholder("extra", optional: true),
            .user("{input}"),
        ])
        #expect(prompt.inputVariables == ["persona", "history", "input"])
        let value = try await prompt.invoke([
            "persona": "terse", "input": "and now?", "history": [.user("hi"), .assistant("hello")],
        ])
        #expect(value.string == "System: you are terse\nHuman: hi\nAI: hello\nHuman: and now?")
        #expect(value.messages.map(\.role) == [.system, .user, .assistant, .user])
        let missing = await #expect(throws: CatenaError.self) {
            try await prompt.invoke(["persona": "x", "input": "y"])
        }
        #expect(missing?.message.contains("'history'") == true)
    }

    @Test func stringParserReadsTextsAndMessages() async throws {
        #expect(try await StringOutputParser<Message>().invoke(.assistant("hi")) == "hi")
        #expect(try await StringOutputParser<String>().invoke("plain") == "plain")
        // Alone, with nothing to say which output it reads, it reads a chat model's message.
        let parser = StringOutputParser()
        #expect(try await parser.invoke(.assistant("inferred")) == "inferred")
        // In a chain, the runnable before it decides (here a text model's String).
        let echo = RunnableLambda { (text: String) in text.uppercased() } | StringOutputParser()
        #expect(try await echo.invoke("loud") == "LOUD")
    }

    @Test func jsonParserHandlesFencesAndReportsRawOutput() async throws {
        let parser = JSONOutputParser<String>()
        #expect(try await parser.invoke("```json\n{\"a\": [1, 2]}\n```") == ["a": [1, 2]])
        let error = await #expect(throws: OutputParserError.self) { try await parser.invoke("not json at all") }
        #expect(error?.rawOutput == "not json at all")
    }

    @Test func jsonParserStreamsGrowingPartialValues() async throws {
        let model = FakeChatModel(replies: [#"{"name": "Ada", "langs": ["en", "fr"]}"#])
        let partials = try await (model | JSONOutputParser()).stream("x").collect()
        #expect(partials.last == ["name": "Ada", "langs": ["en", "fr"]])
        #expect(partials.count > 1)
        #expect(Set(partials).count == partials.count)
    }

    @Test func jsonParserStreamFailsOnInvalidCompleteOutput() async throws {
        let model = FakeChatModel(replies: [#"{"truncated": "#])
        let error = await #expect(throws: OutputParserError.self) {
            try await (model | JSONOutputParser()).stream("x").collect()
        }
        #expect(error?.rawOutput == #"{"truncated": "#)
    }

    @Test func decodableParserDecodesOrShowsTheRawText() async throws {
        struct Joke: Decodable, Sendable, Equatable { var setup: String; var punchline: String }
        let parser = DecodableOutputParser<String, Joke>()
        #expect(try await parser.invoke(#"{"setup": "s", "punchline": "p"}"#) == Joke(setup: "s", punchline: "p"))
        let error = await #expect(throws: OutputParserError.self) { try await parser.invoke(#"{"setup": "only"}"#) }
        #expect(error?.rawOutput == #"{"setup": "only"}"#)
        #expect(error?.description.contains("Joke") == true)
    }
}

@Suite struct ValueTests {
    @Test func messageChunksMerge() {
        let merged =
            Message(
                role: .assistant, content: "Hel", id: "m1",
                toolCalls: [ToolCall(index: 0, id: "a", name: "f", arguments: "{")])
            + Message(
                role: .assistant, content: "lo",
                toolCalls: [
                    ToolCall(index: 0, id: "a", name: "f", arguments: "}"),
                    ToolCall(index: 1, id: "b", name: "g", arguments: "[]"),
                ])
            + Message(role: .assistant, content: "", usage: Usage(inputTokens: 1, outputTokens: 2))
            + Message(role: .assistant, content: "", usage: Usage(inputTokens: 0, outputTokens: 3))
        #expect(merged.text == "Hello")
        #expect(merged.id == "m1")
        #expect(merged.toolCalls.map(\.arguments) == ["{}", "[]"])
        #expect(merged.toolCalls.map(\.name) == ["f", "g"])
        #expect(merged.toolCalls.map(\.id) == ["a", "b"])
        #expect(merged.usage == Usage(inputTokens: 1, outputTokens: 5, totalTokens: 6))
    }

    @Test func messageDetailsAreSharedUntilACopyChangesThem() {
        let original = Message(role: .assistant, content: "a", id: "m1", responseMetadata: ["model": "x"])
        var copy = original
        copy.id = "m2"
        copy.toolCalls.append(ToolCall(index: 0, id: "c", name: "f", arguments: "{}"))
        copy.responseMetadata["finish_reason"] = "stop"
        #expect(original.id == "m1" && original.toolCalls.isEmpty && original.responseMetadata == ["model": "x"])
        #expect(copy.id == "m2" && copy.toolCalls.count == 1)
        #expect(copy.responseMetadata == ["model": "x", "finish_reason": "stop"])
        // Details emptied again compare and hash like a message that never had any.
        copy.id = nil
        copy.toolCalls = []
        copy.responseMetadata = [:]
        let plain = Message(role: .assistant, content: "a")
        #expect(copy == plain)
        #expect(copy.hashValue == plain.hashValue)
        #expect(original != plain)
        #expect(Set([original, plain, copy]).count == 2)
    }

    @Test func promptValuesRenderAsLangChainDoes() {
        let value: PromptValue = [
            .system("you are a bot"), .user("hello there!"), .assistant("hi"), .tool("42", callID: "c"),
        ]
        #expect(value.string == "System: you are a bot\nHuman: hello there!\nAI: hi\nTool: 42")
        #expect(PromptValue.text("plain").messages == [.user("plain")])
    }

    @Test func messagesRoundTripThroughJSON() throws {
        let message = Message(
            role: .user, content: .parts([.text("look"), .imageURL("https://example.com/a.png", detail: "low")]),
            name: "ada")
        let json = try JSONValue(encoding: message)
        #expect(json["content"]?[1]?["image_url"]?["url"] == "https://example.com/a.png")
        #expect(try json.decode(as: Message.self) == message)
    }

    @Test func jsonValuesParseAndPrint() throws {
        let value = try JSONValue(parsing: #"{"b": [1, 2.5, true, null], "a": "x"}"#)
        #expect(value == ["a": "x", "b": [1, 2.5, true, nil]])
        #expect(value.jsonString == #"{"a":"x","b":[1,2.5,true,null]}"#)
        #expect(value["b"]?[1]?.doubleValue == 2.5)
        #expect(throws: (any Error).self) { try JSONValue(parsing: "{") }
    }
}
