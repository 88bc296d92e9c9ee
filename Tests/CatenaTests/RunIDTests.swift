import Foundation
import Testing

@testable import Catena

/// Run ids are version 7 UUIDs, as LangChain's are: unique, and sorted by the time they were made.
@Suite struct RunIDTests {
    /// The version (high nibble of byte 6) and the variant (high two bits of byte 8) of `id`.
    private func versionAndVariant(_ id: UUID) -> (version: UInt8, variant: UInt8) {
        (id.uuid.6 >> 4, id.uuid.8 >> 6)
    }

    /// The Unix milliseconds in the first 48 bits of `id`.
    private func milliseconds(_ id: UUID) -> UInt64 {
        withUnsafeBytes(of: id.uuid) { bytes in bytes.prefix(6).reduce(0) { $0 << 8 | UInt64($1) } }
    }

    @Test func rootAndChildRunIDsAreVersionSevenOfTheCurrentTime() throws {
        let before = UInt64.currentMilliseconds
        let root = UUID.unique()
        let child = UUID.childRunID(of: root, counter: 1)
        let after = UInt64.currentMilliseconds
        for id in [root, child] {
            #expect(versionAndVariant(id) == (7, 0b10))
            #expect((before...after).contains(milliseconds(id)))
        }
        #expect(root != child)
    }

    @Test func idsSortByTheirTimeWhateverTheirOtherBits() {
        let source = UUID()
        let earlier = UUID(versionSevenAt: 1_765_000_000_000, mixing: source, counter: 900)
        let later = UUID(versionSevenAt: 1_765_000_000_001, mixing: UUID(), counter: 1)
        #expect(earlier.uuidString < later.uuidString)
        #expect(milliseconds(later) == 1_765_000_000_001)
    }

    @Test func oneSourceNeverGivesTwoCountersTheSameID() {
        let source = UUID()
        let ids = Set((0..<50_000).map { UUID(versionSevenAt: 1_765_000_000_000, mixing: source, counter: $0) })
        #expect(ids.count == 50_000)
        let siblings = Set((1...1_000).map { UUID.childRunID(of: source, counter: $0) })
        #expect(siblings.count == 1_000)
    }

    @Test func aClockBeforeNineteenSeventyOrBeyondFortyEightBitsDoesNotTrap() {
        let beyond = UUID(versionSevenAt: 0xFFFF_FFFF_FFFF, mixing: UUID(), counter: .max)
        #expect(versionAndVariant(beyond) == (7, 0b10))
        #expect(milliseconds(beyond) == 0xFFFF_FFFF_FFFF)
    }
}
