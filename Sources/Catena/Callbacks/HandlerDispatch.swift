import Logging

/// Hands one event to a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls ``CallbackHandler/handle(_:)`` on each handler that does not ignore `event`. Every error a handler
    /// throws is logged as a warning; the first error of a handler that raises errors is rethrown after every
    /// handler has had the event.
    static func dispatch(_ event: CallbackEvent, to handlers: [any CallbackHandler]) throws {
        var raised: (any Error)?
        for handler in handlers where !event.isIgnored(by: handler) {
            do {
                try handler.handle(event)
            } catch {
                log(error, handlerName: "\(type(of: handler))", event: event, raised: handler.raisesErrors)
                if handler.raisesErrors { raised = raised ?? error }
            }
        }
        if let raised { throw raised }
    }

    /// Logs an error a handler threw while handling `event`; `raised` tells whether it surfaces from the run.
    static func log(_ error: any Error, handlerName: String, event: CallbackEvent, raised: Bool) {
        Logger(label: "catena.callbacks").warning(
            raised ? "callback handler threw; the error is raised from the run" : "callback handler threw; the error is isolated",
            metadata: [
                "handler": "\(handlerName)",
                "hook": "\(event.hookName)",
                "run_id": "\(event.run.id)",
                "run_name": "\(event.run.name)",
                "error": "\(error)",
            ])
    }
}
