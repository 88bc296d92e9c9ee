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
/// chunk wins. The conformance is looked up once per accumulator, not per chunk.
///
/// Used by one consumer at a time (a stream's iteration), and it runs unspecialized for most element types: the
/// total lives in its own allocation and each chunk is merged through raw pointers, with no generic closure, type
/// metadata lookup or dynamic cast per chunk. Measured against a safe version that moves the total out and casts
/// each chunk (`catena-bench core`, 2 cores): "stream events (chain, 1000 tokens, inline delivery), per event"
/// 0.85 → 0.60 µs and "chat stream per token, no handler" 0.22 → 0.18 µs.
final class ChunkAccumulator<T> {
    /// The merged chunks, once the first has arrived.
    private var storage: UnsafeMutablePointer<T>?
    /// Where a chunk being merged is put, to be passed by address.
    private let incoming = UnsafeMutablePointer<T>.allocate(capacity: 1)
    private let merger: (any ChunkMerging)?

    init() {
        merger = (T.self as? any StreamChunk.Type).map { mergerOf($0) }
    }

    /// The merged chunks, or `nil` before the first.
    var total: T? { storage?.pointee }

    func add(_ next: T) {
        guard let storage else {
            storage = .allocate(capacity: 1)
            storage!.initialize(to: next)
            return
        }
        guard let merger else {
            storage.pointee = next
            return
        }
        incoming.initialize(to: next)
        merger.append(incoming, to: storage)
        incoming.deinitialize(count: 1)
    }

    deinit {
        storage?.deinitialize(count: 1)
        storage?.deallocate()
        incoming.deallocate()
    }
}

/// The merger of chunks of `type` (opens the existential metatype).
private func mergerOf<C: StreamChunk>(_ type: C.Type) -> any ChunkMerging { ChunkMerger<C>() }

/// Appends a chunk to a total of the same ``StreamChunk`` type, both given by address.
private protocol ChunkMerging {
    func append(_ chunk: UnsafeRawPointer, to total: UnsafeMutableRawPointer)
}

/// The ``ChunkMerging`` of one chunk type.
private struct ChunkMerger<C: StreamChunk>: ChunkMerging {
    func append(_ chunk: UnsafeRawPointer, to total: UnsafeMutableRawPointer) {
        total.assumingMemoryBound(to: C.self).pointee.append(chunk.assumingMemoryBound(to: C.self).pointee)
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
