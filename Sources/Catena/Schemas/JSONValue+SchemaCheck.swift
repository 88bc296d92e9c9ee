extension JSONValue {
    /// Checks this value against `schema`, as models' tool arguments and structured answers are checked before
    /// use. Supported: `type` (one or a list), `enum`, `const`, `properties`, `required`, `additionalProperties`
    /// (`false` or a schema), `items`, `minItems`, `maxItems`, `minimum`, `maximum`, `anyOf`; other keywords pass.
    /// - Throws: The first ``SchemaViolation`` found, naming the field's path.
    public func check(against schema: JSONValue) throws(SchemaViolation) {
        if let violation = SchemaCheck.violation(of: self, schema: schema, path: "") { throw violation }
    }
}

/// The checks behind ``JSONValue/check(against:)``.
enum SchemaCheck {
    static func violation(of value: JSONValue, schema: JSONValue, path: String) -> SchemaViolation? {
        guard case .object(let rules) = schema else { return nil }
        func fail(_ problem: String) -> SchemaViolation { SchemaViolation(path: path, problem: problem) }
        if let types = rules["type"], !typeNames(types).contains(where: { value.hasType($0) }) {
            return fail("should be \(typeNames(types).map(article).joined(separator: " or ")), not \(value.shown)")
        }
        if case .array(let allowed) = rules["enum"], !allowed.contains(where: { $0.sameValue(as: value) }) {
            return fail("should be one of \(allowed.map(\.jsonString).joined(separator: ", ")), not \(value.shown)")
        }
        if let constant = rules["const"], !constant.sameValue(as: value) {
            return fail("should be \(constant.jsonString), not \(value.shown)")
        }
        if case .array(let options) = rules["anyOf"],
            !options.contains(where: { violation(of: value, schema: $0, path: path) == nil })
        {
            return fail("fits none of the allowed schemas: \(value.shown)")
        }
        if let number = value.doubleValue {
            if let minimum = rules["minimum"]?.doubleValue, number < minimum { return fail("should be ≥ \(minimum)") }
            if let maximum = rules["maximum"]?.doubleValue, number > maximum { return fail("should be ≤ \(maximum)") }
        }
        switch value {
        case .object(let members): return violation(ofMembers: members, rules: rules, path: path)
        case .array(let elements): return violation(ofElements: elements, rules: rules, path: path)
        default: return nil
        }
    }

    private static func violation(ofMembers members: [String: JSONValue], rules: [String: JSONValue], path: String)
        -> SchemaViolation?
    {
        let properties = rules["properties"]?.objectValue ?? [:]
        if case .array(let required) = rules["required"] {
            for case .string(let name) in required where members[name] == nil {
                return SchemaViolation(path: join(path, name), problem: "is required")
            }
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                if let violation = violation(of: member, schema: property, path: join(path, name)) { return violation }
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false):
                let known = properties.keys.sorted().joined(separator: ", ")
                return SchemaViolation(path: join(path, name), problem: "is not expected (the fields are: \(known))")
            case .some(let schema):
                if let violation = violation(of: member, schema: schema, path: join(path, name)) { return violation }
            case nil:
                continue
            }
        }
        return nil
    }

    private static func violation(ofElements elements: [JSONValue], rules: [String: JSONValue], path: String)
        -> SchemaViolation?
    {
        if let minimum = rules["minItems"]?.intValue, elements.count < minimum {
            return SchemaViolation(path: path, problem: "should have at least \(minimum) items, not \(elements.count)")
        }
        if let maximum = rules["maxItems"]?.intValue, elements.count > maximum {
            return SchemaViolation(path: path, problem: "should have at most \(maximum) items, not \(elements.count)")
        }
        guard let items = rules["items"] else { return nil }
        for (index, element) in elements.enumerated() {
            if let violation = violation(of: element, schema: items, path: "\(path)[\(index)]") { return violation }
        }
        return nil
    }

    private static func typeNames(_ types: JSONValue) -> [String] {
        switch types {
        case .string(let name): [name]
        case .array(let names): names.compactMap(\.stringValue)
        default: []
        }
    }

    private static func article(_ type: String) -> String {
        type == "null" ? "null" : (type == "integer" || type == "array" || type == "object" ? "an " : "a ") + type
    }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}

extension JSONValue {
    /// Whether the value is of JSON schema type `name` (an integral double is an integer).
    fileprivate func hasType(_ name: String) -> Bool {
        switch (name, self) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .int), ("number", .double), ("integer", .int):
            true
        case ("integer", .double(let value)): value.isFinite && value.rounded() == value
        default: false
        }
    }

    /// Equal as JSON values (`1` and `1.0` are the same number).
    fileprivate func sameValue(as other: JSONValue) -> Bool {
        if let number = doubleValue, let otherNumber = other.doubleValue { return number == otherNumber }
        return self == other
    }

    /// The value as an error message shows it, cut short when long.
    fileprivate var shown: String {
        let text = jsonString
        return text.count > 60 ? text.prefix(57) + "…" : text
    }
}
