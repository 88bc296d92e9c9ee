import Synchronization

/// The parameters a model run was invoked with, as ``CallbackHandler/onLLMStart(_:prompts:parameters:)`` and
/// ``CallbackHandler/onChatModelStart(_:messages:parameters:)`` receive them: the model's `_type`, the call's
/// `stop` sequences, its identifying parameters and its bound options.
///
/// A model call builds them the first time a handler reads them, then keeps them: most handlers never read them,
/// and building the dictionary cost more than the rest of the run's start.
///
/// ```swift
/// func onLLMStart(_ run: RunInfo, prompts: [String], parameters: InvocationParameters) {
///     print(parameters["temperature"] ?? "default temperature")
/// }
/// ```
public struct InvocationParameters: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private enum Source: Sendable {
        case built([String: JSONValue])
        case deferred(DeferredParameters)
    }

    private let source: Source
    /// The provider the run's traces name (`ls_provider` in its metadata), which is no parameter; `nil`: the `_type`
    /// parameter.
    public var provider: String?

    /// Parameters already built.
    public init(_ values: [String: JSONValue]) {
        source = .built(values)
    }

    /// Parameters that `build` makes the first time they are read, once.
    public init(building build: @escaping @Sendable () -> [String: JSONValue]) {
        source = .deferred(DeferredParameters(build: build))
    }

    /// Parameters written as a dictionary literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(Dictionary(elements) { _, last in last })
    }

    /// All the parameters, built on first read.
    public var values: [String: JSONValue] {
        switch source {
        case .built(let values): values
        case .deferred(let deferred): deferred.values
        }
    }

    /// The parameter named `key`, if set.
    public subscript(key: String) -> JSONValue? { values[key] }

    /// Parameters are equal when their values are.
    public static func == (lhs: InvocationParameters, rhs: InvocationParameters) -> Bool { lhs.values == rhs.values }

    /// The parameters as a JSON object.
    public var description: String { JSONValue.object(values).description }
}

/// Builds a run's parameters on first read and keeps them; the lock makes concurrent first reads build once.
private final class DeferredParameters: Sendable {
    private let build: @Sendable () -> [String: JSONValue]
    private let built = Mutex<[String: JSONValue]?>(nil)

    init(build: @escaping @Sendable () -> [String: JSONValue]) {
        self.build = build
    }

    var values: [String: JSONValue] {
        built.withLock { built in
            if let built { return built }
            let values = build()
            built = values
            return values
        }
    }
}
