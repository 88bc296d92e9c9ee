import Logging
import Tracing

/// Hands one event to a list of handlers in order, honouring ignore flags and isolating handler errors.
enum HandlerDispatch {
    /// Calls ``CallbackHandler/handle(_:)`` on each handler that does not ignore `event`. Every error a handler
    /// throws is logged as a warning through `logger`; the first error of a handler that raises errors is rethrown
    /// after every handler has had the event.
    ///
    /// Catena's telemetry, always the first handler when present, ends a run's span: it gets a run's end last, so
    /// that what the other handlers log about the end is still logged inside the span.
    static func dispatch(_ event: CallbackEvent, to handlers: [any CallbackHandler], logger: Logger?) throws {
        var raised: (any Error)?
        let telemetryLast = event.endsRun && handlers.count > 1 && handlers.telemetry != nil
        for position in handlers.indices {
            let handler = telemetryLast ? handlers[(position + 1) % handlers.count] : handlers[position]
            guard !event.isIgnored(by: handler) else { continue }
            do {
                try handler.handle(event)
            } catch {
                log(
                    error, handlerName: "\(type(of: handler))", event: event, raised: handler.raisesErrors,
                    logger: logger, span: handlers.telemetry?.context(of: event.run.id))
                if handler.raisesErrors { raised = raised ?? error }
            }
        }
        if let raised { throw raised }
    }

    /// Logs an error a handler threw while handling `event`; `raised` tells whether it surfaces from the run.
    static func log(
        _ error: any Error, handlerName: String, event: CallbackEvent, raised: Bool, logger: Logger?,
        span: ServiceContext?
    ) {
        RunLog.log(
            .warning,
            raised
                ? "callback handler threw; the error is raised from the run"
                : "callback handler threw; the error is isolated",
            metadata: [
                "handler": "\(handlerName)",
                "hook": "\(event.hookName)",
                "run_id": "\(event.run.id)",
                "run_name": "\(event.run.name)",
                "error": "\(error)",
            ],
            logger: logger, span: span)
    }
}
