import Catena
import Foundation

/// The rules every recorded run tree of a soak call must follow; each broken rule is one line.
enum RunTreeCheck {
    /// Checks `events` (one call's, in order): each run starts first and ends exactly once, last; every run but the
    /// root has the root as parent; the model's tokens are exactly `streamed`, each once.
    static func violations(_ events: [CallbackEvent], streamed: String?) -> [String] {
        var problems: [String] = []
        var order: [UUID] = []
        var byRun: [UUID: [CallbackEvent]] = [:]
        for event in events {
            if byRun[event.run.id] == nil { order.append(event.run.id) }
            byRun[event.run.id, default: []].append(event)
        }
        guard let root = order.first else { return ["no run was recorded"] }
        for id in order {
            let runEvents = byRun[id]!
            let name = runEvents[0].run.name
            if !runEvents[0].hookName.hasSuffix("_start") {
                problems.append("\(name) began with \(runEvents[0].hookName)")
            }
            let endings = runEvents.filter(\.endsRun).count
            if endings != 1 { problems.append("\(name) ended \(endings) times") }
            if runEvents.last?.endsRun != true {
                problems.append("\(name)'s last event is \(runEvents.last!.hookName)")
            }
            if id != root, runEvents[0].run.parentID != root {
                problems.append("\(name) is not a child of the chain run")
            }
        }
        if let streamed {
            let tokens = events.compactMap { event -> String? in
                if case .llmNewToken(let token, _) = event.payload { token } else { nil }
            }
            if tokens.joined() != streamed {
                problems.append("tokens \(tokens) are not the streamed text \"\(streamed)\"")
            }
        }
        return problems
    }
}
