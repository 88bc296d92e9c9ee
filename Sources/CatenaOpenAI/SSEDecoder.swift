/// An incremental `text/event-stream` decoder (the WHATWG rules): feed it bytes as they arrive, split anywhere,
/// and it returns the events completed so far.
///
/// A leading UTF-8 byte order mark is skipped (even split between feeds); lines end with LF, CRLF or CR (a CRLF
/// split between two feeds is one line end); lines starting with `:` are comments; several `data:` lines join with
/// `\n`; an empty line ends an event; an event without data is dropped; a `retry:` that is not a number of
/// milliseconds `Int` can hold is ignored; an empty `event:` means the default type.
///
/// ```swift
/// var decoder = SSEDecoder()
/// for event in decoder.feed(Array("data: hel".utf8)) + decoder.feed(Array("lo\n\n".utf8)) { print(event.data) }
/// ```
public struct SSEDecoder: Sendable {
    private var line: [UInt8] = []
    /// The previous feed ended with CR: a LF at the start of the next feed belongs to it.
    private var pendingCR = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastID: String?
    private var retry: Int?
    /// How many bytes of a byte order mark the stream has started with so far; `nil` once past its start.
    private var byteOrderMarkMatched: Int? = 0
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Creates a decoder.
    public init() {}

    /// Decodes `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), into: &events)
        }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { feed($0, into: &events) }
        }
        return events
    }

    /// The event in progress when the body ended without its closing empty line, if it has data.
    ///
    /// Stricter readers drop it; servers that omit the last empty line exist, so it is returned and the caller
    /// decides (a chat stream without `[DONE]` is still reported as interrupted).
    public mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty { processLine() }
        line = []
        pendingCR = false
        return dispatch()
    }

    private mutating func feed(_ buffer: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) {
        var start = skipByteOrderMark(buffer)
        var index = start
        let count = buffer.count
        if pendingCR, count > 0 {
            pendingCR = false
            if buffer[0] == UInt8(ascii: "\n") {
                start = 1
                index = 1
            }
        }
        while index < count {
            let byte = buffer[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            line.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<index]))
            if line.isEmpty {
                if let event = dispatch() { events.append(event) }
            } else {
                processLine()
                line.removeAll(keepingCapacity: true)
            }
            index += 1
            if byte == UInt8(ascii: "\r") {
                if index < count {
                    if buffer[index] == UInt8(ascii: "\n") { index += 1 }
                } else {
                    pendingCR = true
                }
            }
            start = index
        }
        if start < count { line.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<count])) }
    }

    /// Steps over the part of a byte order mark at the start of the stream that `buffer` holds; returns where the
    /// stream's text starts in it. A start that only looked like one is kept as text.
    private mutating func skipByteOrderMark(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard var matched = byteOrderMarkMatched else { return 0 }
        var index = 0
        while index < buffer.count, matched < Self.byteOrderMark.count {
            guard buffer[index] == Self.byteOrderMark[matched] else {
                line.append(contentsOf: Self.byteOrderMark[..<matched])
                byteOrderMarkMatched = nil
                return index
            }
            matched += 1
            index += 1
        }
        byteOrderMarkMatched = matched < Self.byteOrderMark.count ? matched : nil
        return index
    }

    /// Applies one complete, non-empty line.
    private mutating func processLine() {
        if line.first == UInt8(ascii: ":") { return }  // a comment
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let name = line[..<colon]
        var valueStart = colon == line.endIndex ? colon : colon + 1
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let milliseconds = Int(String(decoding: value, as: UTF8.self))
            {
                retry = milliseconds
            }
        default:
            break  // unknown fields are ignored
        }
    }

    /// Ends the event in progress: returns it when it has data, and resets the per-event fields.
    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
        }
        guard hasData else { return nil }
        let type = eventType?.isEmpty == false ? eventType : nil
        return ServerSentEvent(event: type, data: String(decoding: data, as: UTF8.self), id: lastID, retry: retry)
    }
}
