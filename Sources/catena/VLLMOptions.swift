import ArgumentParser
import Catena
import Foundation

/// The sampling parameters only vLLM (and some other servers) take, and request fields passed through.
struct VLLMOptions: ParsableArguments {
    @Option(help: "Candidates to generate.") var bestOf: Int?
    @Flag(inversion: .prefixedNo, help: "Beam search.") var useBeamSearch: Bool?
    @Option(help: "Beam search length penalty.") var lengthPenalty: Double?
    @Flag(inversion: .prefixedNo, help: "Beam search early stopping.") var earlyStopping: Bool?
    @Flag(inversion: .prefixedNo, help: "Ignore the end-of-sequence token.") var ignoreEos: Bool?
    @Option(help: "Generate at least this many tokens.") var minTokens: Int?
    @Option(help: "A stop token id (repeatable).") var stopTokenId: [Int] = []
    @Flag(inversion: .prefixedNo, help: "Skip special tokens in the output.") var skipSpecialTokens: Bool?
    @Flag(inversion: .prefixedNo, help: "Spaces between special tokens.") var spacesBetweenSpecialTokens: Bool?
    @Option(help: "Repetition penalty.") var repetitionPenalty: Double?
    @Option(help: "A Jinja chat template file to use instead of the model's.") var chatTemplate: String?
    @Option(help: "Any other request field as KEY=JSON (repeatable).") var extra: [String] = []

    func validate() throws {
        if let chatTemplate, !FileManager.default.isReadableFile(atPath: chatTemplate) {
            let exists = FileManager.default.fileExists(atPath: chatTemplate)
            throw ValidationError(
                "cannot read the --chat-template file \(chatTemplate): \(exists ? "permission denied" : "no such file")"
            )
        }
        _ = try extraFields()
    }

    /// `--extra` as field → JSON value.
    func extraFields() throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for entry in extra {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = try? JSONValue(parsing: String(parts[1])) else {
                throw ValidationError("--extra expects KEY=JSON, got '\(entry)'")
            }
            fields[String(parts[0])] = value
        }
        return fields
    }
}
