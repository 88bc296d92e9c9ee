extension Sequence<UInt8> {
    /// The bytes in lowercase hex, two digits each (digests as cache keys and key-store ids), written as ASCII bytes
    /// and made a string once (appending `Character`s took 1% of the gateway's time: `scripts/gateway-bench.sh`).
    package var hexString: String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            utf8.append(hexDigit(byte >> 4))
            utf8.append(hexDigit(byte & 0x0F))
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}

/// The lowercase hex digit of `nibble` (0–15), as an ASCII byte.
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
}
