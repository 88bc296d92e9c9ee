/// A tool made from a function whose arguments decode from the model's JSON.
public struct FunctionTool<Arguments: Decodable & Sendable>: Tool {
    /// The tool's name.
    public let name: String
    /// What it does.
    public let description: String
    /// The JSON schema of its arguments.
    public let parameters: JSONValue
    private let body: @Sendable (Arguments) async throws -> String

    /// Creates a tool.
    public init(
        name: String, description: String, parameters: JSONValue,
        _ body: @escaping @Sendable (Arguments) async throws -> String
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.body = body
    }

    /// Decodes the arguments and runs the function.
    /// - Throws: ``CatenaError`` with code `invalidInput` when the arguments do not decode, naming the tool.
    public func call(_ arguments: JSONValue) async throws -> String {
        let decoded: Arguments
        do {
            decoded = try arguments.decode(as: Arguments.self)
        } catch {
            throw CatenaError(.invalidInput, "arguments \(arguments.jsonString) do not fit tool '\(name)': \(error)")
        }
        return try await body(decoded)
    }
}

extension FunctionTool where Arguments: JSONSchemaRepresentable {
    /// Creates a tool whose parameter schema is derived from its arguments type (`@JSONSchema`, from
    /// `CatenaMacros`).
    ///
    /// ```swift
    /// @JSONSchema struct WeatherQuery: Decodable { /** The city, in English. */ var city: String }
    /// let weather = FunctionTool(name: "weather", description: "Current weather in a city") {
    ///     (query: WeatherQuery) in "Sunny in \(query.city)"
    /// }
    /// ```
    public init(
        name: String, description: String, _ body: @escaping @Sendable (Arguments) async throws -> String
    ) {
        self.init(name: name, description: description, parameters: Arguments.jsonSchema, body)
    }
}
