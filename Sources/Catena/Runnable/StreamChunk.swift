/// A value whose stream chunks merge into the whole: strings concatenate, messages and generations merge.
///
/// When a step that cannot stream receives a stream, it merges the chunks into one input first. Types that do not
/// conform are taken to be complete in each chunk, so the last chunk wins.
public protocol StreamChunk: Sendable {
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
struct ChunkAccumulator<T> {
    private(set) var total: T?
    private let appendInPlace: ((inout T, T) -> Void)?

    init() {
        appendInPlace = (T.self as? any StreamChunk.Type).map { Self.appender(for: $0) }
    }

    mutating func add(_ next: T) {
        if total == nil || appendInPlace == nil {
            total = next
        } else {
            appendInPlace!(&total!, next)
        }
    }

    private static func appender<C: StreamChunk>(for _: C.Type) -> (inout T, T) -> Void {
        { total, next in
            // T is C here (checked by the metatype cast), so rebinding appends without copying the total, and
            // without a dynamic cast of each chunk.
            withUnsafeMutablePointer(to: &total) { pointer in
                withUnsafePointer(to: next) { chunk in
                    chunk.withMemoryRebound(to: C.self, capacity: 1) { chunk in
                        pointer.withMemoryRebound(to: C.self, capacity: 1) { $0.pointee.append(chunk.pointee) }
                    }
                }
            }
        }
    }
}
