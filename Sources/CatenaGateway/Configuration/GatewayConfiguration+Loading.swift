public import Foundation
import Yams

extension GatewayConfiguration {
    /// Reads the configuration file at `path`. Values written `os.environ/NAME` are read from `environment`.
    /// - Throws: ``GatewayConfigurationError`` naming the line and key: a file that cannot be read, invalid YAML, a
    ///   missing or unknown key, a value of the wrong type, an environment variable that is not set.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> GatewayConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GatewayConfigurationError(
                file: path, key: "", reason: "cannot read the file (\(error.localizedDescription))")
        }
        return try load(yaml: text, file: path, environment: environment)
    }

    /// Reads a configuration from YAML text; `file` names it in errors.
    /// - Throws: ``GatewayConfigurationError``, as ``load(path:environment:)``.
    public static func load(
        yaml text: String, file: String = "<string>",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> GatewayConfiguration {
        let document: Node
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw GatewayConfigurationError(file: file, key: "", reason: "the file is empty; it needs a model_list")
            }
            document = root
        } catch let error as YamlError {
            throw GatewayConfigurationError(
                file: file, line: error.line, key: "", reason: "invalid YAML: \(error.problem)")
        }
        let resolved = try EnvironmentReferences(environment: environment, file: file).resolve(document, at: [])
        do {
            return try YAMLDecoder().decode(GatewayConfiguration.self, from: resolved)
        } catch let error as DecodingError {
            let (path, reason) = error.explained
            throw GatewayConfigurationError(
                file: file, line: resolved.line(at: path), key: path.dottedKey, reason: reason)
        }
    }
}

/// Replaces the `os.environ/NAME` values of a document with the environment's.
private struct EnvironmentReferences {
    static let prefix = "os.environ/"
    let environment: [String: String]
    let file: String

    func resolve(_ node: Node, at path: [any CodingKey]) throws -> Node {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.hasPrefix(Self.prefix) else { return node }
            let name = String(scalar.string.dropFirst(Self.prefix.count))
            guard let value = environment[name] else {
                throw GatewayConfigurationError(
                    file: file, line: scalar.mark?.line, key: path.dottedKey,
                    reason: "the environment variable \(name) is not set")
            }
            return .scalar(Node.Scalar(value, scalar.tag, scalar.style, scalar.mark))
        case .mapping(let mapping):
            let pairs = try mapping.map { key, value in
                (key, try resolve(value, at: path + [ConfigKey(key.string ?? "?")]))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            let nodes = try node.array().enumerated().map { index, item in
                try resolve(item, at: path + [ListIndex(index)])
            }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
        case .alias:
            return node
        }
    }
}

/// A position in a list, as a coding key.
private struct ListIndex: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

extension [any CodingKey] {
    /// `model_list[0].litellm_params.model`.
    var dottedKey: String {
        reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}

extension Node {
    /// The line of the value at `path` (or of the deepest part of it that exists).
    func line(at path: [any CodingKey]) -> Int? {
        var node = self
        for key in path {
            let next: Node? =
                if let index = key.intValue { index < node.array().count ? node.array()[index] : nil } else {
                    node[key.stringValue]
                }
            guard let next else { break }
            node = next
        }
        return node.mark?.line
    }
}

extension DecodingError {
    /// Where the error is and what it says, for a person.
    var explained: (path: [any CodingKey], reason: String) {
        switch self {
        case .keyNotFound(let key, let context):
            (context.codingPath, "the key '\(key.stringValue)' is missing")
        case .typeMismatch(let type, let context):
            (context.codingPath, "expected \(Self.name(of: type)) (\(context.debugDescription))")
        case .valueNotFound(let type, let context):
            (context.codingPath, "expected \(Self.name(of: type)), found nothing")
        case .dataCorrupted(let context):
            (context.codingPath, context.debugDescription)
        @unknown default:
            ([], "\(self)")
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}

extension YamlError {
    /// The line of the problem, when the parser says.
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    /// What the parser found wrong.
    var problem: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            context.map { "\(problem) \($0.text)" } ?? problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated keys \(duplicates.joined(separator: ", "))"
        default: "\(self)"
        }
    }
}
