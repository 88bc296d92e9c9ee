import Logging

/// Calls one hook on a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls `hook` on each handler of `run` that does not ignore hooks of `kind`. A handler error is logged,
    /// unless the handler raises errors, in which case the first such error is rethrown after every handler has
    /// had the hook.
    static func call(
        _ handlers: [any CallbackHandler], run: RunInfo, kind: HookKind, hook: (any CallbackHandler) throws -> Void
    ) throws {
        var raised: (any Error)?
        for handler in handlers where !kind.isIgnored(by: handler) {
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
