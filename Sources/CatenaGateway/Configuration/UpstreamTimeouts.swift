import CatenaCompletion

extension GatewayConfiguration {
    /// How long the gateway waits for a deployment, in seconds: to connect (`connect_timeout`), for a whole answer
    /// or a response head (`timeout`), and for a stream's head and each next chunk (`stream_timeout`). Set in
    /// `router_settings` for every deployment (defaults: 5, 120 and 30 s) and in a deployment's `litellm_params`
    /// for it alone. A deployment that does not answer in time fails (504 `upstream_timeout` when it was the last
    /// one tried) and counts towards its cooldown.
    public struct UpstreamTimeouts: Sendable, Hashable {
        /// Longest wait to connect.
        public var connect: Double?
        /// Longest wait for a whole answer (which comes once generated) or a response head.
        public var answer: Double?
        /// Longest wait for a stream's head and between its chunks.
        public var stream: Double?

        /// Creates timeouts (`nil`: another level's, or the default).
        public init(connect: Double? = nil, answer: Double? = nil, stream: Double? = nil) {
            self.connect = connect
            self.answer = answer
            self.stream = stream
        }

        /// 5 s to connect, 120 s for a whole answer, 30 s between a stream's chunks.
        public static let defaults = UpstreamTimeouts(connect: 5, answer: 120, stream: 30)

        /// The keys these settings are read from.
        static let names = ["connect_timeout", "timeout", "stream_timeout"]

        /// Reads the keys of `section` (a number of seconds each; 0 or absent: not set here).
        init(section: KeyedDecodingContainer<ConfigKey>) throws {
            func positive(_ name: String) throws -> Double? { try section.seconds(name).flatMap { $0 > 0 ? $0 : nil } }
            self.init(
                connect: try positive("connect_timeout"), answer: try positive("timeout"),
                stream: try positive("stream_timeout"))
        }

        /// These timeouts, each unset one taken from `fallback`.
        func or(_ fallback: UpstreamTimeouts) -> UpstreamTimeouts {
            UpstreamTimeouts(
                connect: connect ?? fallback.connect, answer: answer ?? fallback.answer,
                stream: stream ?? fallback.stream)
        }

        /// Sets them on a call's options.
        func apply(to options: inout CompletionOptions) {
            options.connectTimeout = connect.map(Duration.seconds)
            options.timeout = answer.map(Duration.seconds)
            options.streamTimeout = stream.map(Duration.seconds)
        }
    }
}
