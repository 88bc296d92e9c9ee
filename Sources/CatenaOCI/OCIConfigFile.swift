import Foundation

/// A parsed `~/.oci/config`: INI profiles, where every profile inherits the keys of `[DEFAULT]`.
public struct OCIConfigFile: Sendable {
    /// Each profile's keys, `DEFAULT` keys merged in.
    public let profiles: [String: [String: String]]

    /// Parses the text of a config file.
    public init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current = "DEFAULT"
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                sections[current, default: [:]] = sections[current] ?? [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: [:]][key] = value
        }
        let defaults = sections["DEFAULT"] ?? [:]
        profiles = sections.mapValues { defaults.merging($0) { _, own in own } }
    }

    /// Reads the file at `path`, or at `$OCI_CONFIG_FILE`, or at `~/.oci/config`.
    public static func load(path: String? = nil) throws -> OCIConfigFile {
        let environment = ProcessInfo.processInfo.environment
        let chosen = path ?? environment["OCI_CONFIG_FILE"] ?? "~/.oci/config"
        let expanded = expandingHome(chosen)
        guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            throw OCIConfigurationError("cannot read the OCI config file at \(expanded)")
        }
        return OCIConfigFile(text: text)
    }

    /// `path` with a leading `~` replaced by the home directory.
    static func expandingHome(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        return NSHomeDirectory() + path.dropFirst()
    }
}

extension OCIRequestSigner {
    /// A signer for a profile of an OCI config file: its `key_file`, and either its `security_token_file`
    /// (session token key id) or `tenancy`, `user` and `fingerprint` (API key id).
    /// - Throws: ``OCIConfigurationError`` naming what is missing.
    public init(profile: String = "DEFAULT", configPath: String? = nil) throws {
        let file = try OCIConfigFile.load(path: configPath)
        guard let values = file.profiles[profile] else {
            throw OCIConfigurationError("no profile [\(profile)] in the OCI config file")
        }
        try self.init(profile: profile, values: values)
    }

    /// A signer for the keys of one profile (see ``init(profile:configPath:)``).
    public init(profile: String, values: [String: String]) throws {
        func required(_ key: String) throws -> String {
            guard let value = values[key], !value.isEmpty else {
                throw OCIConfigurationError("profile [\(profile)] has no '\(key)'")
            }
            return value
        }
        let keyPath = OCIConfigFile.expandingHome(try required("key_file"))
        guard let pem = try? String(contentsOfFile: keyPath, encoding: .utf8) else {
            throw OCIConfigurationError("cannot read the key file \(keyPath) of profile [\(profile)]")
        }
        if values["pass_phrase"].map({ !$0.isEmpty }) ?? false || pem.contains("ENCRYPTED") {
            throw OCIConfigurationError(
                "profile [\(profile)]: encrypted keys are not supported; decrypt it with `openssl rsa`")
        }
        let keyID: String
        if let tokenFile = values["security_token_file"], !tokenFile.isEmpty {
            let tokenPath = OCIConfigFile.expandingHome(tokenFile)
            guard let token = try? String(contentsOfFile: tokenPath, encoding: .utf8) else {
                throw OCIConfigurationError("cannot read the security token file \(tokenPath) of profile [\(profile)]")
            }
            keyID = Self.sessionTokenKeyID(token)
        } else {
            keyID = Self.apiKeyID(
                tenancy: try required("tenancy"), user: try required("user"), fingerprint: try required("fingerprint"))
        }
        try self.init(keyID: keyID, privateKeyPEM: pem)
    }
}
