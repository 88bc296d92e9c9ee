import Catena
import Hummingbird

/// Whether a shared store answers, as readiness reports it.
enum StoreState: Sendable {
    case connected
    /// It does not; `required`: the gateway cannot serve without it.
    case unavailable(String, required: Bool)

    var json: JSONValue {
        switch self {
        case .connected: "connected"
        case .unavailable(let reason, _): .string("unavailable: \(reason)")
        }
    }

    var isRequiredAndDown: Bool {
        if case .unavailable(_, true) = self { return true }
        return false
    }
}

extension Gateway {
    /// `GET /health/readiness`: 200 when the gateway can serve, 503 while the key store (or, with
    /// `fail_closed_budget_enforcement`, Redis) cannot be reached; each store's state in the body (`db`, `redis`).
    /// Liveness (`/health/liveness`) stays cheap and asks no store.
    func readiness() async -> JSONResponse {
        var body: [String: JSONValue] = [:]
        var states: [StoreState] = []
        if let store = access.lookups {
            let db: StoreState
            do {
                _ = try await store.key(hash: "readiness-probe")
                db = .connected
            } catch {
                db = .unavailable((error as? GatewayError)?.message ?? "\(error)", required: true)
            }
            body["db"] = db.json
            states.append(db)
        }
        if let redis = await limits.storeState() {
            body["redis"] = redis.json
            states.append(redis)
        }
        let ready = !states.contains(where: \.isRequiredAndDown)
        body["status"] = ready ? "healthy" : "unhealthy"
        return JSONResponse(.object(body), status: ready ? .ok : .serviceUnavailable)
    }
}
