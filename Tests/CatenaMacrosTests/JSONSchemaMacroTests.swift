import CatenaMacros
import Testing

/// A city's weather request.
@JSONSchema struct WeatherQuery: Decodable, Sendable {
    /// The city, in English.
    var city: String
    /**
     * Days ahead,
     * 1 to 7.
     */
    var days: Int?
    var unit: TemperatureUnit
    var stops: [Stop]
    var tags: [String: Double]
    var note: Optional<String>
    static let shared = 3
    var computed: Int { 3 }
}

/// How temperatures are written.
@JSONSchema enum TemperatureUnit: String, Decodable, Sendable {
    case celsius
    case fahrenheit = "F"
}

@JSONSchema struct Stop: Decodable, Sendable {
    let name: String
    var minutes: UInt8

    enum CodingKeys: String, CodingKey {
        case name = "stop_name"
        case minutes
    }
}

@JSONSchema struct Empty: Decodable {}

@Suite struct JSONSchemaMacroTests {
    @Test func aStructBecomesAnObjectWithEachStoredProperty() throws {
        let schema = try #require(WeatherQuery.jsonSchema.objectValue)
        #expect(schema["type"] == "object")
        #expect(schema["description"] == "A city's weather request.")
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == ["city", "unit", "stops", "tags"])
        let properties = try #require(schema["properties"]?.objectValue)
        #expect(Set(properties.keys) == ["city", "days", "unit", "stops", "tags", "note"])
        #expect(properties["city"] == ["type": "string", "description": "The city, in English."])
        #expect(properties["days"] == ["type": "integer", "description": "Days ahead, 1 to 7."])
        #expect(
            properties["unit"]
                == ["type": "string", "enum": ["celsius", "F"], "description": "How temperatures are written."])
        #expect(properties["tags"] == ["type": "object", "additionalProperties": ["type": "number"]])
        #expect(properties["note"] == ["type": "string"])
    }

    @Test func nestedTypesArraysAndCodingKeysAreFollowed() throws {
        let stops = try #require(WeatherQuery.jsonSchema.objectValue?["properties"]?.objectValue?["stops"])
        #expect(
            stops == [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": [
                        "stop_name": ["type": "string"],
                        "minutes": ["type": "integer", "minimum": 0, "maximum": 255],
                    ],
                    "required": ["stop_name", "minutes"], "additionalProperties": false,
                ],
            ])
        #expect(
            Empty.jsonSchema == ["type": "object", "properties": [:], "required": [], "additionalProperties": false])
    }

    @Test func theDerivedSchemaChecksWhatDecodes() throws {
        let good: JSONValue = [
            "city": "Paris", "unit": "F", "stops": [["stop_name": "Lyon", "minutes": 12]], "tags": ["a": 1.5],
        ]
        try good.check(against: WeatherQuery.jsonSchema)
        #expect(try good.decode(as: WeatherQuery.self).stops.first?.name == "Lyon")
        let cases: [(JSONValue, String)] = [
            (["unit": "F", "stops": [], "tags": [:]], "field 'city' is required"),
            (
                ["city": "Paris", "unit": "kelvin", "stops": [], "tags": [:]],
                #"field 'unit' should be one of "celsius", "F", not "kelvin""#
            ),
            (
                ["city": "Paris", "unit": "F", "stops": [["stop_name": "Lyon", "minutes": 300]], "tags": [:]],
                "field 'stops[0].minutes' should be ≤ 255.0"
            ),
            (
                ["city": "Paris", "unit": "F", "stops": [], "tags": [:], "days": "three"],
                #"field 'days' should be an integer, not "three""#
            ),
            (
                ["city": "Paris", "unit": "F", "stops": [], "tags": [:], "town": "x"],
                "field 'town' is not expected (the fields are: city, days, note, stops, tags, unit)"
            ),
        ]
        for (value, message) in cases {
            #expect(throws: SchemaViolation.self) { try value.check(against: WeatherQuery.jsonSchema) }
            do {
                try value.check(against: WeatherQuery.jsonSchema)
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
