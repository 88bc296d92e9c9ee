import Logging

/// Delivers one event to a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls each handler that does not ignore `event`. A handler error is logged, unless the handler raises
    /// errors, in which case the first such error is rethrown after every handler has had the event.
    static func deliver(_ event: CallbackEvent, to handlers: [any CallbackHandler]) throws {
        try call(handlers, run: event.run, ignoring: event.isIgnored(by:)) { try event.deliver(to: $0) }
    }

    /// Calls `hook` on each handler of `run` that `isIgnored` does not filter out, with the error rules of
    /// ``deliver(_:to:)``. The token path uses it directly, without building a ``CallbackEvent``.
    static func call(
        _ handlers: [any CallbackHandler], run: RunInfo, ignoring isIgnored: (any CallbackHandler) -> Bool,
        hook: (any CallbackHandler) throws -> Void
    ) throws {
        var raised: (any Error)?
        for handler in handlers where !isIgnored(handler) {
            do {
                try hook(handler)
            } catch {
                if handler.raisesErrors {
                    raised = raised ?? error
                } else {
                    logIsolated(error, handlerName: "\(type(of: handler))", run: run)
                }
            }
        }
        if let raised { throw raised }
    }

    /// Logs an error thrown by a handler that does not raise errors.
    static func logIsolated(_ error: any Error, handlerName: String, run: RunInfo) {
        Logger(label: "catena.callbacks").warning(
            "callback handler threw; the error is isolated",
            metadata: [
                "handler": "\(handlerName)",
                "run_id": "\(run.id)",
                "run_name": "\(run.name)",
                "error": "\(error)",
            ])
    }
}
