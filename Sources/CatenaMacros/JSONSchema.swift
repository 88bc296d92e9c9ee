@_exported public import Catena

/// Derives a struct's or a `String` enum's JSON schema from its declaration, conforming it to
/// `JSONSchemaRepresentable`.
///
/// - A struct: an object with a property per stored property (named as its `CodingKeys` name it, if it has
///   any), each with its type's schema; optional properties are left out of `required`; other properties are
///   not allowed (`additionalProperties: false`, which OpenAI's strict mode asks for).
/// - An enum with `String` raw values: a string, one of the cases' raw values.
/// - Descriptions, of the type and of each property, come from their doc comments.
///
/// Every property's type must itself be `JSONSchemaRepresentable`: the standard scalars, arrays, `[String: T]`
/// dictionaries, optionals, and other `@JSONSchema` types.
///
/// ```swift
/// /// A city's weather request.
/// @JSONSchema struct WeatherQuery: Decodable {
///     /// The city, in English.
///     var city: String
///     /// Days ahead, 1 to 7.
///     var days: Int?
///     var unit: TemperatureUnit
/// }
///
/// @JSONSchema enum TemperatureUnit: String, Decodable { case celsius, fahrenheit }
/// ```
@attached(extension, conformances: JSONSchemaRepresentable, names: named(jsonSchema))
public macro JSONSchema() = #externalMacro(module: "CatenaMacrosPlugin", type: "JSONSchemaMacro")
