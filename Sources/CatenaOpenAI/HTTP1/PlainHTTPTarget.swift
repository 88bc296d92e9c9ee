import Foundation

/// Where a plain `http://` request goes: the server's host and port, and the request target (path and query) its
/// request line carries. `https://` and anything else is not one: those requests go through AsyncHTTPClient.
struct PlainHTTPTarget: Hashable, Sendable {
    /// The server's host name or address.
    let host: String
    /// The server's port (80 when the URL names none).
    let port: Int
    /// The path and query, as the request line carries them.
    let uri: String

    /// The target of `url`, or `nil` when it is not a plain `http://` URL with a host.
    init?(_ url: String) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        port = components.port ?? 80
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        uri = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// The `Host` header's value.
    var hostHeader: String { port == 80 ? host : "\(host):\(port)" }

    /// The server, as connections to it are pooled.
    var server: HTTP1ConnectionPool.Server { .init(host: host, port: port) }
}
