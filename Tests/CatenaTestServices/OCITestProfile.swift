public import Foundation
import _CryptoExtras

/// An `~/.oci/config` profile with a fresh RSA key, in a folder of its own, for tests of request signing.
public struct OCITestProfile: Sendable {
    /// The folder holding the key and the config file.
    public let directory: URL
    /// The config file's path (`OCI_CONFIG_FILE`).
    public let configPath: String
    /// The key id its signatures carry: tenancy, user and fingerprint.
    public static let keyID = "ocid1.tenancy.oc1..acme/ocid1.user.oc1..alice/20:3b:97:13"

    /// Writes a `DEFAULT` profile and its key into a new temporary folder.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("catena-oci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("key.pem").path
        try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation.write(
            toFile: keyPath, atomically: true, encoding: .utf8)
        configPath = directory.appendingPathComponent("config").path
        try """
        [DEFAULT]
        user=ocid1.user.oc1..alice
        fingerprint=20:3b:97:13
        tenancy=ocid1.tenancy.oc1..acme
        region=us-ashburn-1
        key_file=\(keyPath)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Deletes the folder.
    public func remove() { try? FileManager.default.removeItem(at: directory) }
}
