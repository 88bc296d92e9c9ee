/// Reports the chunks and the merged output of a streaming chain run.
final class ChainStreamObserver<Element: Sendable>: StreamRunObserver {
    private let manager: ChainRunManager
    private let observed: Bool
    private let output = ChunkAccumulator<Element>()

    init(manager: ChainRunManager) {
        self.manager = manager
        self.observed = !manager.core.handlers.isEmpty
    }

    func willYield(_ element: Element) throws {
        guard observed else { return }
        output.add(element)
        try manager.onStream(RunValue(element))
    }

    func finish() throws {
        try manager.onEnd(RunValue(output.total.map { $0 as any Sendable } ?? JSONValue.null))
    }

    func fail(_ error: any Error) {
        try? manager.onError(error)
    }
}
