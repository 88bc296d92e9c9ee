/// Options bound to a model call with ``Runnable/bind(stop:parameters:)``: stop sequences and extra request
/// parameters. They apply to the bound model's own run and are not inherited by anything it starts.
public struct CallOptions: Sendable, Hashable {
    /// Stop sequences; generation ends at the first one.
    public var stop: [String]?
    /// Extra parameters passed through to the model (provider-specific).
    public var parameters: [String: JSONValue]

    /// Creates call options.
    public init(stop: [String]? = nil, parameters: [String: JSONValue] = [:]) {
        self.stop = stop
        self.parameters = parameters
    }

    /// These options with `other` on top: `other`'s stop sequences win when set, parameters merge.
    public func merging(_ other: CallOptions) -> CallOptions {
        CallOptions(stop: other.stop ?? stop, parameters: parameters.merging(other.parameters) { _, new in new })
    }
}
