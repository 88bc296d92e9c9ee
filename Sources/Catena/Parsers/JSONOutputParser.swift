/// Parses a model's output as JSON (a Markdown code fence around it is fine). While streaming, yields the value
/// parsed so far each time it grows, so a UI can show a partial object.
///
/// ```swift
/// for try await partial in (prompt | model | JSONOutputParser()).stream(input) { render(partial) }
/// ```
public struct JSONOutputParser<Input: ModelOutputText>: Runnable {
    /// The name of its runs.
    public var name: String { "JSONOutputParser" }

    /// Creates the parser.
    public init() {}

    /// Parses the whole output.
    /// - Throws: ``OutputParserError`` with the raw output when it is not valid JSON.
    public func parse(_ text: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: PartialJSON.unfenced(text))
        } catch {
            throw OutputParserError(rawOutput: text, reason: "invalid JSON (\(error))")
        }
    }

    /// The parsed output, as a traced parser run.
    public func invoke(_ input: Input, context: RunContext) async throws -> JSONValue {
        try await context.traceChain(name: name, type: .parser, input: input) { _, _ in try parse(input.outputText) }
    }

    /// The value parsed so far, each time it changes; the stream fails with ``OutputParserError`` if the complete
    /// output is not valid JSON.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<JSONValue> {
        context.traceChainTransform(name: name, type: .parser, input: input) { chunks, _, _ in
            RunnableStream(start: {
                let next = try await chunks.start()
                var text = ""
                var last: JSONValue?
                var ended = false
                return {
                    while !ended {
                        guard let chunk = try await next() else {
                            ended = true
                            let complete = try parse(text)
                            // Spelled out: a `nil` in a ternary would become JSON null.
                            if complete == last { return nil }
                            return complete
                        }
                        text += chunk.outputText
                        if let partial = PartialJSON.parse(PartialJSON.unfenced(text)), partial != last {
                            last = partial
                            return partial
                        }
                    }
                    return nil
                }
            })
        }
    }
}
