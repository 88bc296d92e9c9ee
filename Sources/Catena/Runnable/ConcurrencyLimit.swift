/// Runs `work` for each index of `0..<count`, starting them in index order with at most `width` in flight, and
/// hands each result to `collect` as it completes. The first error cancels the work still running and is thrown.
/// What batches and parallel maps share.
func runLimited<T: Sendable>(
    count: Int, width: Int, _ work: @escaping @Sendable (Int) async throws -> T, collect: (Int, T) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var next = 0
        func startNext() {
            let index = next
            next += 1
            group.addTask { (index, try await work(index)) }
        }
        while next < min(Swift.max(1, width), count) { startNext() }
        while let (index, value) = try await group.next() {
            try await collect(index, value)
            if next < count { startNext() }
        }
    }
}
