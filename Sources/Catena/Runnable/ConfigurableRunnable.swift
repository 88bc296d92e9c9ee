/// A field of a runnable that can be set at run time through ``RunnableConfig/configurable``.
///
/// ```swift
/// let model = CustomLLM(n: 5).configurable(.field(\.n, id: "n"))
/// try await model.invoke("hello world", config: .init(configurable: ["n": 2]))   // "he"
/// ```
public struct ConfigurableField<Base>: Sendable {
    /// The key in ``RunnableConfig/configurable``.
    public let id: String
    /// A human-readable description.
    public let description: String?
    let apply: @Sendable (inout Base, JSONValue) throws -> Void

    /// A field at `keyPath`, set from the JSON value under `id` decoded as `Value`.
    public static func field<Value: Decodable & SendableMetatype>(
        _ keyPath: any WritableKeyPath<Base, Value> & Sendable, id: String, description: String? = nil
    ) -> ConfigurableField {
        ConfigurableField(id: id, description: description) { base, json in
            do {
                base[keyPath: keyPath] = try json.decode(as: Value.self)
            } catch {
                throw CatenaError(
                    .invalidConfiguration,
                    "configurable field '\(id)' expects \(Value.self), got \(json.jsonString): \(error)")
            }
        }
    }
}

/// A runnable whose fields are set from the run's configurable values before each call.
public struct ConfigurableRunnable<Base: Runnable>: Runnable {
    /// The runnable with its default field values.
    public let base: Base
    /// The fields that can be configured.
    public let fields: [ConfigurableField<Base>]

    /// The base's name.
    public var name: String { base.name }

    /// The base with the fields given in `context` applied.
    public func resolved(in context: RunContext) throws -> Base {
        var resolved = base
        for field in fields {
            if let value = context.configurable[field.id] { try field.apply(&resolved, value) }
        }
        return resolved
    }

    /// Invokes the configured base.
    public func invoke(_ input: Base.Input, context: RunContext) async throws -> Base.Output {
        try await resolved(in: context).invoke(input, context: context)
    }

    /// Streams from the configured base.
    public func stream(_ input: Base.Input, context: RunContext) -> RunnableStream<Base.Output> {
        .deferred { try resolved(in: context).stream(input, context: context) }
    }

    /// Transforms through the configured base.
    public func transform(_ input: RunnableStream<Base.Input>, context: RunContext) -> RunnableStream<Base.Output> {
        .deferred { try resolved(in: context).transform(input, context: context) }
    }
}

/// Runnables of which one is chosen at run time by the configurable value under ``id``.
///
/// ```swift
/// let model = fastModel.configurableAlternatives(id: "model", alternatives: ["careful": carefulModel.eraseToAnyRunnable()])
/// try await model.invoke(prompt, config: .init(configurable: ["model": "careful"]))
/// ```
public struct ConfigurableAlternatives<Input: Sendable, Output: Sendable>: Runnable {
    /// The key in ``RunnableConfig/configurable``.
    public let id: String
    /// The key of the default runnable.
    public let defaultKey: String
    /// Every choice by key, the default included.
    public let alternatives: [String: AnyRunnable<Input, Output>]

    /// The default runnable's name.
    public var name: String { alternatives[defaultKey]?.name ?? "ConfigurableAlternatives" }

    /// The runnable selected in `context`.
    /// - Throws: ``CatenaError`` with code `invalidConfiguration` for an unknown key, listing the known ones.
    public func selected(in context: RunContext) throws -> AnyRunnable<Input, Output> {
        let key = context.configurable[id]?.stringValue ?? defaultKey
        guard let choice = alternatives[key] else {
            throw CatenaError(
                .invalidConfiguration,
                "unknown alternative '\(key)' for '\(id)'; choose one of \(alternatives.keys.sorted())")
        }
        return choice
    }

    /// Invokes the selected runnable.
    public func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await selected(in: context).invoke(input, context: context)
    }

    /// Streams from the selected runnable.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<Output> {
        .deferred { try selected(in: context).stream(input, context: context) }
    }

    /// Transforms through the selected runnable.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output> {
        .deferred { try selected(in: context).transform(input, context: context) }
    }
}

extension Runnable {
    /// This runnable with fields that can be set at run time.
    public func configurable(_ fields: ConfigurableField<Self>...) -> ConfigurableRunnable<Self> {
        ConfigurableRunnable(base: self, fields: fields)
    }

    /// This runnable (under `defaultKey`) or one of `alternatives`, chosen at run time by the value under `id`.
    public func configurableAlternatives(
        id: String, defaultKey: String = "default", alternatives: [String: AnyRunnable<Input, Output>]
    ) -> ConfigurableAlternatives<Input, Output> {
        var all = alternatives
        all[defaultKey] = AnyRunnable(self)
        return ConfigurableAlternatives(id: id, defaultKey: defaultKey, alternatives: all)
    }
}
