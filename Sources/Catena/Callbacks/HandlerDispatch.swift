import Logging

/// Delivers one event to a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls each handler that does not ignore `event`. A handler error is logged, unless the handler raises
    /// errors, in which case the first such error is rethrown after every handler has had the event.
    static func deliver(_ event: CallbackEvent, to handlers: [any CallbackHandler]) throws {
        var raised: (any Error)?
        for handler in handlers where !event.isIgnored(by: handler) {
            do {
                try event.deliver(to: handler)
            } catch {
                if handler.raisesErrors {
                    raised = raised ?? error
                } else {
                    logIsolated(error, handlerName: "\(type(of: handler))", event: event)
                }
            }
        }
        if let raised { throw raised }
    }

    /// Logs an error thrown by a handler that does not raise errors.
    static func logIsolated(_ error: any Error, handlerName: String, event: CallbackEvent) {
        Logger(label: "catena.callbacks").warning(
            "callback handler threw; the error is isolated",
            metadata: [
                "handler": "\(handlerName)",
                "run_id": "\(event.run.id)",
                "run_name": "\(event.run.name)",
                "error": "\(error)",
            ])
    }
}
