/// A value whose stream chunks merge into the whole: strings concatenate, messages and generations merge.
///
/// When a step that cannot stream receives a stream, it merges the chunks into one input first. Types that do not
/// conform are taken to be complete in each chunk, so the last chunk wins.
public protocol StreamChunk {
    /// Appends the next chunk to this one in place.
    mutating func append(_ next: Self)
}

extension String: StreamChunk {}

extension Message: StreamChunk {}

extension Generation: StreamChunk {
    /// Appends the next chunk in place; see ``Generation/+(_:_:)``.
    public mutating func append(_ next: Generation) {
        text += next.text
        if let message = next.message {
            if self.message == nil { self.message = message } else { self.message!.append(message) }
        }
        if !next.info.isEmpty { info.merge(next.info) { _, later in later } }
    }
}

/// Merges the chunks of one stream in place: through ``StreamChunk`` when the type conforms, otherwise the last
/// chunk wins. The conformance is looked up once per accumulator, not per chunk. Used by one consumer at a time
/// (a stream's iteration).
final class ChunkAccumulator<T> {
    /// The merged chunks, or `nil` before the first.
    private(set) var total: T?
    private let merger: (any ChunkMerging)?

    init() {
        merger = (T.self as? any StreamChunk.Type).map { mergerOf($0) }
    }

    func add(_ next: T) {
        guard let merger, total != nil else {
            total = next
            return
        }
        merger.append(next, to: &total)
    }
}

/// The merger of chunks of `type` (opens the existential metatype).
private func mergerOf<C: StreamChunk>(_ type: C.Type) -> any ChunkMerging { ChunkMerger<C>() }

/// Appends a chunk to a total of the same ``StreamChunk`` type.
private protocol ChunkMerging {
    /// Appends `chunk` to `total` (which holds a value); both are of the merger's chunk type.
    func append<T>(_ chunk: T, to total: inout T?)
}

/// The ``ChunkMerging`` of one chunk type.
private struct ChunkMerger<C: StreamChunk>: ChunkMerging {
    func append<T>(_ chunk: T, to total: inout T?) {
        // The total is moved out, so it is the only reference to its storage and grows in place.
        guard var merged = total.take() as? C, let chunk = chunk as? C else { return }
        merged.append(chunk)
        total = merged as? T
    }
}

extension Dictionary: StreamChunk {
    /// Adds the next chunk's entries: a value under a key already present merges into it (through ``StreamChunk``
    /// when the value type conforms, otherwise the later value wins), as the partial outputs of a streaming
    /// ``RunnableParallel`` merge into its output.
    public mutating func append(_ next: [Key: Value]) {
        for (key, value) in next {
            if let earlier = self[key], let chunk = earlier as? any StreamChunk {
                self[key] = (chunk.appending(value) as? Value) ?? value
            } else {
                self[key] = value
            }
        }
    }
}

extension StreamChunk {
    /// This chunk with `next` appended, when `next` is of the same type (otherwise `next`).
    fileprivate func appending(_ next: Any) -> Any {
        guard let next = next as? Self else { return next }
        var merged = self
        merged.append(next)
        return merged
    }
}
