import Logging

/// Delivers one event to a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls each handler that does not ignore `event`. A handler error is logged, unless the handler raises
    /// errors, in which case the first such error is rethrown after every handler has had the event.
    static func deliver(_ event: CallbackEvent, to handlers: [any CallbackHandler]) throws {
        try call(handlers, run: event.run, kind: event.kind) { try event.deliver(to: $0) }
    }

    /// Calls `hook` on each handler of `run` that does not ignore hooks of `kind`, with the error rules of
    /// ``deliver(_:to:)``. Runs report through it directly, without building a ``CallbackEvent``.
    static func call(
        _ handlers: [any CallbackHandler], run: RunInfo, kind: HookKind, hook: (any CallbackHandler) throws -> Void
    ) throws {
        var raised: (any Error)?
        for handler in handlers where !kind.isIgnored(by: handler) {
            do {
                try hook(handler)
            } catch {
                isolate(error, of: handler, run: run, raised: &raised)
            }
        }
        if let raised { throw raised }
    }

    /// Keeps the first error of a handler that raises errors in `raised`; logs any other handler's error.
    private static func isolate(
        _ error: any Error, of handler: any CallbackHandler, run: RunInfo, raised: inout (any Error)?
    ) {
        if handler.raisesErrors {
            raised = raised ?? error
        } else {
            logIsolated(error, handlerName: "\(type(of: handler))", run: run)
        }
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
