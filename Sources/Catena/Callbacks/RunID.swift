package import Foundation
import Synchronization

/// Where root run ids (and other ``Foundation/UUID/unique()`` ids) come from: a random seed drawn once per process
/// and a counter. Run ids must be unique, not secret; drawing each from the system generator cost two system calls
/// per root run.
private enum RootRunIDs {
    static let seed = UUID()
    static let counter = Atomic<UInt64>(0)
}

extension UUID {
    /// A version 7 UUID (RFC 9562) for a root run, or for anything else whose id must be unique but not secret: the
    /// time in milliseconds, then the process's random seed mixed with a counter (unique in the process, and across
    /// processes as unlikely to collide as random bits), with no system call (`UUID()` opens the system's random
    /// source each time). Like LangChain's run ids, they sort by the time they were made, so a store's index of
    /// them (the gateway's spend log) grows at its end.
    package static func unique() -> UUID {
        UUID(
            versionSevenAt: .currentMilliseconds, mixing: RootRunIDs.seed,
            counter: RootRunIDs.counter.add(1, ordering: .relaxed).newValue)
    }

    /// The id of the `counter`-th child of the run with id `parent`: a version 7 UUID of the current time whose other
    /// bits mix the parent's with the counter, so siblings never collide and no system randomness is needed below
    /// the root.
    static func childRunID(of parent: UUID, counter: UInt64) -> UUID {
        UUID(versionSevenAt: .currentMilliseconds, mixing: parent, counter: counter)
    }

    /// A version 7, variant 1 UUID of the time `milliseconds` (its 48 low bits), whose 74 other bits mix `source`'s
    /// bits with `counter`: 64 of them are a bijection of the counter, so one source never gives two counters the
    /// same id.
    init(versionSevenAt milliseconds: UInt64, mixing source: UUID, counter: UInt64) {
        let (high, low) = withUnsafeBytes(of: source.uuid) {
            ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self))
        }
        let unique = Self.splitMix(low ^ Self.splitMix(high) ^ counter)
        let extra = Self.splitMix(high ^ low) & 0x3FF
        let timeAndVersion = (milliseconds << 16) | 0x7000 | (extra << 2) | (unique >> 62)
        let variantAndRest = 0x8000_0000_0000_0000 | (unique & 0x3FFF_FFFF_FFFF_FFFF)
        self = withUnsafeBytes(of: (timeAndVersion.bigEndian, variantAndRest.bigEndian)) {
            UUID(uuid: $0.load(as: uuid_t.self))
        }
    }

    /// SplitMix64's finalizer: a bijection of 64-bit values that scatters neighbouring inputs.
    private static func splitMix(_ value: UInt64) -> UInt64 {
        var mixed = value &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

extension UInt64 {
    /// The Unix time in milliseconds, in the 48 bits a version 7 UUID holds (0 for a clock set before 1970).
    static var currentMilliseconds: UInt64 {
        let milliseconds = Date().timeIntervalSince1970 * 1000
        guard milliseconds > 0 else { return 0 }
        return UInt64(Swift.min(milliseconds, Double(0xFFFF_FFFF_FFFF)))
    }
}
