/// A plain `http://host[:port]/path` URL taken apart without Foundation (read on every request): what
/// ``HTTP1ConnectionPool`` needs. `nil` for anything else (`https`, user info, an IPv6 literal), which goes through
/// AsyncHTTPClient.
package struct PlainHTTPURL: Sendable {
    /// The host name or address.
    package var host: String
    /// The port (80 when the URL has none).
    package var port: Int
    /// The path and query (`/`, when the URL has none).
    package var target: String

    /// Takes `url` apart; `nil` for anything but a plain `http://` URL with a host.
    package init?(_ url: String) {
        let scheme = "http://"
        guard url.utf8.count > scheme.utf8.count, url.utf8.starts(with: scheme.utf8) else { return nil }
        let rest = url.utf8.dropFirst(scheme.utf8.count)
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")), !authority.contains(UInt8(ascii: "["))
        else { return nil }
        if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            guard let port = Int(Substring(authority[authority.index(after: colon)...])), (1...65535).contains(port)
            else { return nil }
            self.port = port
            host = String(Substring(authority[..<colon]))
        } else {
            port = 80
            host = String(Substring(authority))
        }
        guard !host.isEmpty else { return nil }
        let path = String(Substring(rest[authorityEnd...]))
        target = path.hasPrefix("/") ? path : "/" + path
    }
}
