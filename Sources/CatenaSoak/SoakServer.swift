public import CatenaTestingServer
import Foundation
import Synchronization

/// The soak's fault server: each request's prompt names its fault and call (`soak:<fault>:<call>`); the server
/// counts the attempts of each call and plays the fault's actions for that attempt.
public enum SoakServer {
    /// Starts the server on a free loopback port.
    public static func start() async throws -> FaultServer {
        let attempts = Mutex<[Int: Int]>([:])
        return try await FaultServer.start { request, _ in
            guard let (fault, call) = marker(in: request.text) else {
                return FaultServer.json(400, #"{"error":{"message":"no soak marker in the prompt"}}"#)
            }
            let attempt = attempts.withLock { counts in
                counts[call, default: 0] += 1
                return counts[call]!
            }
            return fault.actions(attempt: attempt, call: call, streaming: request.text.contains(#""stream":true"#))
        }
    }

    /// The prompt of call `call` with `fault`.
    static func prompt(_ fault: SoakFault, call: Int) -> String { "soak:\(fault.rawValue):\(call)" }

    /// The fault and call a request body names.
    static func marker(in body: String) -> (SoakFault, Int)? {
        guard let start = body.range(of: "soak:") else { return nil }
        let fields = body[start.upperBound...].prefix { $0 != "\"" }.split(separator: ":")
        guard fields.count == 2, let fault = SoakFault(rawValue: String(fields[0])), let call = Int(fields[1]) else {
            return nil
        }
        return (fault, call)
    }
}
