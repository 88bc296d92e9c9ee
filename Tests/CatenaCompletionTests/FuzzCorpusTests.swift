import CatenaFuzzTargets
import Foundation
import Testing

/// Every committed fuzz seed (each reproducer of a crash once found among them) runs through its target in every
/// test run, so a regression fails here even without a fuzzing build; `scripts/fuzz.sh` explores further.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    @Test("each target's seed corpus runs without a trap or a broken property", arguments: FuzzTarget.allCases)
    func seeds(target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(files.count >= 2)
        for file in files { target.run(Array(try Data(contentsOf: file))) }
    }
}
