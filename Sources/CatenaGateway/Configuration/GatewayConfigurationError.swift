/// Why a configuration file could not be used: the file, the line, the key and what is wrong with it.
public struct GatewayConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file (or `<string>` for YAML given as text).
    public var file: String
    /// The line the problem is on (1-based), when known.
    public var line: Int?
    /// The key, as a dotted path with list positions (`model_list[1].litellm_params.api_key`); empty for the file.
    public var key: String
    /// What is wrong.
    public var reason: String

    /// The file, line and key, then the reason: `gateway.yaml:7: model_list[0].litellm_params: unknown key 'apibase'…`.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(reason)" : "\(place): \(key): \(reason)"
    }
}
