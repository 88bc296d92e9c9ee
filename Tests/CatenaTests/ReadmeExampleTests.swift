import Foundation
import Testing

/// Every Swift example in the README is one of the programs in `Examples/`, which the build compiles: an example
/// that stops compiling fails the build, and one edited in only one place fails here.
@Suite struct ReadmeExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("each Swift program in the README is an Examples/*/main.swift, word for word, and each example is shown")
    func readmeShowsTheCompiledExamples() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```swift\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        .filter { !$0.hasPrefix("// Package.swift") }  // the manifest excerpt is not a program
        let folder = Self.root.appendingPathComponent("Examples")
        let examples = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            (
                name,
                try String(
                    contentsOf: folder.appendingPathComponent(name).appendingPathComponent("main.swift"),
                    encoding: .utf8)
            )
        }
        #expect(examples.count == 5)
        for block in blocks {
            #expect(examples.contains { $0.1 == block }, "a README block is not an example program:\n\(block)")
        }
        for (name, source) in examples {
            #expect(blocks.contains(source), "Examples/\(name) is not in the README")
        }
    }
}
