import Foundation
import Synchronization

/// Unique ids for calls and mock responses: a random prefix per client and a counter. Unlike `UUID()`, which reads
/// the system's random source on every call, an id costs one atomic increment.
final class CallIdentifiers: Sendable {
    private let prefix = UUID().uuidString.lowercased()
    private let counter = Atomic<Int>(0)

    /// The next id, such as `3f2a…-17`.
    func next() -> String {
        let (number, _) = counter.add(1, ordering: .relaxed)
        return prefix + "-" + String(number, radix: 16)
    }
}
