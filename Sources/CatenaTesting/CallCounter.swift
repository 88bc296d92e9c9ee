import Synchronization

/// A thread-safe counter shared by copies of a value type.
final class CallCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// The count before incrementing it.
    func next() -> Int { count.add(1, ordering: .relaxed).oldValue }

    /// The current count.
    var value: Int { count.load(ordering: .relaxed) }
}
