import Catena

/// The exact-match key of a request: a SHA-256 over the namespace, the model as the caller named it and every
/// request field that changes the answer (messages, sampling parameters, tools, response format). Fields that
/// only change the transport (`stream`, `stream_options`) and the deployment's own model name are left out, so a
/// streamed and a plain call share answers, and so do the deployments of one router group.
enum CacheKey {
    static func make(namespace: String?, model: String, request: [String: JSONValue]) -> String {
        var fields = request
        for transport in ["stream", "stream_options", "model"] { fields[transport] = nil }
        var hasher = SHA256()
        hasher.update(data: Array((namespace ?? "").utf8) + [0] + Array(model.utf8) + [0])
        hasher.update(data: JSONValue.object(fields).serializedBytes)
        let digest = hasher.finalize().hexString
        return namespace.map { "\($0):\(digest)" } ?? digest
    }
}
