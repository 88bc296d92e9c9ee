import CatenaMCP
import Foundation

extension GatewayConfiguration {
    /// The `mcp_servers` section: each MCP server the gateway's `/mcp` relays, under its name (LiteLLM's shape):
    ///
    /// ```yaml
    /// mcp_servers:
    ///   files:
    ///     transport: stdio
    ///     command: python3
    ///     args: [files_server.py]
    ///     env: {ROOT: /srv/files}
    ///     timeout: 30                 # seconds a call may take (default 30)
    ///   search:
    ///     url: http://127.0.0.1:9000/mcp   # streamable HTTP (transport: http)
    /// ```
    struct MCPServers: Decodable {
        var servers: [MCPServerConfiguration]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: ConfigKey.self)
            servers = try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                guard Self.isValidName(key.stringValue) else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: container.codingPath + [key],
                            debugDescription:
                                "an MCP server's name is letters, digits and _ (it prefixes its tools' names, with -)"))
                }
                return try container.decode(Entry.self, forKey: key).configuration(name: key.stringValue)
            }
        }

        /// Whether `name` can prefix tool names unambiguously: letters, digits and `_`, not empty.
        private static func isValidName(_ name: String) -> Bool {
            !name.isEmpty
                && name.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                        true
                    default: false
                    }
                }
        }
    }

    /// One server of `mcp_servers`.
    private struct Entry: Decodable {
        var transport: MCPServerConfiguration.Transport
        var timeout: Double?

        init(from decoder: any Decoder) throws {
            let section = try decoder.section(["transport", "url", "command", "args", "env", "timeout"])
            let url: String? = try section.optional("url")
            let command: String? = try section.optional("command")
            let kind = try section.optional("transport", as: String.self) ?? (url == nil ? "stdio" : "http")
            switch (kind, url, command) {
            case ("http", let url?, nil), ("streamable_http", let url?, nil):
                guard let address = URL(string: url), address.scheme == "http" || address.scheme == "https" else {
                    throw Self.invalid("url", in: section, "expected an http(s) URL, got '\(url)'")
                }
                transport = .http(address)
            case ("stdio", nil, let command?):
                transport = .stdio(
                    [command] + (try section.optional("args") ?? []), environment: try section.optional("env") ?? [:])
            case ("http", _, _), ("streamable_http", _, _):
                throw Self.invalid("url", in: section, "an http server needs a url (and no command)")
            case ("stdio", _, _):
                throw Self.invalid("command", in: section, "a stdio server needs a command (and no url)")
            default:
                throw Self.invalid("transport", in: section, "expected stdio or http, got '\(kind)'")
            }
            timeout = try section.seconds("timeout")
        }

        func configuration(name: String) -> MCPServerConfiguration {
            MCPServerConfiguration(name: name, transport: transport, timeout: .seconds(timeout ?? 30))
        }

        private static func invalid(
            _ key: String, in section: KeyedDecodingContainer<ConfigKey>, _ reason: String
        ) -> DecodingError {
            .dataCorrupted(.init(codingPath: section.codingPath + [ConfigKey(key)], debugDescription: reason))
        }
    }
}
