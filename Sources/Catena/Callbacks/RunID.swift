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
    /// A version 4 UUID for a root run, or for anything else whose id must be unique but not secret: the process's
    /// random seed mixed with a counter (unique in the process, and across processes as unlikely to collide as
    /// random ids), with no system call (`UUID()` opens the system's random source each time).
    package static func unique() -> UUID {
        childRunID(of: RootRunIDs.seed, counter: RootRunIDs.counter.add(1, ordering: .relaxed).newValue)
    }

    /// The id of the `counter`-th child of the run with id `parent`: a bijective mix of the parent's bits and the
    /// counter, so siblings never collide and no system randomness is needed below the root.
    static func childRunID(of parent: UUID, counter: UInt64) -> UUID {
        let (high, low) = withUnsafeBytes(of: parent.uuid) {
            ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self))
        }
        return UUID(versionFourFrom: splitMix(high ^ counter), splitMix(low &+ counter &* 0x9E37_79B9_7F4A_7C15))
    }

    /// A version 4, variant 1 UUID from 128 bits.
    private init(versionFourFrom high: UInt64, _ low: UInt64) {
        let versioned = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let varianted = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        self = withUnsafeBytes(of: (versioned.bigEndian, varianted.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }

    /// SplitMix64's finalizer: a bijection of 64-bit values that scatters neighbouring inputs.
    private static func splitMix(_ value: UInt64) -> UInt64 {
        var mixed = value &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
