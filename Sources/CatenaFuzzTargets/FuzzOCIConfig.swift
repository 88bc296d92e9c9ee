import CatenaOCI

/// Parses arbitrary text as an OCI config file; every profile must carry the `DEFAULT` keys it does not override.
enum FuzzOCIConfig {
    static func run(_ bytes: [UInt8]) {
        let file = OCIConfigFile(text: String(decoding: bytes, as: UTF8.self))
        guard let defaults = file.profiles["DEFAULT"] else { return }
        for (_, values) in file.profiles {
            precondition(defaults.keys.allSatisfy { values[$0] != nil }, "a profile lost a DEFAULT key")
        }
    }
}
