public import Logging
import Tracing

/// Catena's own log lines about runs: what goes wrong around a run without failing it.
enum RunLog {
    /// Logs `message` through `logger` (a logger labelled `catena` when `nil`). With `span` (the run's span
    /// context), the line is logged with it as the current `ServiceContext`, so a metadata provider such as
    /// swift-otel's, or an OpenTelemetry log handler, adds the run's trace and span ids.
    static func log(
        _ level: Logger.Level, _ message: Logger.Message, metadata: Logger.Metadata, logger: Logger?,
        span: ServiceContext?
    ) {
        let logger = logger ?? Logger(label: "catena")
        guard let span else { return logger.log(level: level, message, metadata: metadata) }
        ServiceContext.$current.withValue(span) { logger.log(level: level, message, metadata: metadata) }
    }
}

extension RunManager {
    /// The logger for work done inside the run (a model's or a tool's body): the one configured with
    /// ``RunnableConfig/logger``, else a logger labelled `catena`, with the run's id as `run_id` metadata. The body
    /// runs with the run's span as the current `ServiceContext`, so a metadata provider adds its trace ids too.
    public var logger: Logger {
        var logger = configuredLogger ?? Logger(label: "catena")
        logger[metadataKey: "run_id"] = "\(run.id)"
        return logger
    }

    /// The logger ``RunnableConfig/logger`` set for the run, if any.
    private var configuredLogger: Logger? { (self as? any CoreRunManager)?.core.logger }

    /// Logs a line about the run through `logger` (else the run's configured logger), with its id and name as
    /// metadata, inside its span when it has one.
    package func log(
        _ level: Logger.Level, _ message: Logger.Message, metadata: Logger.Metadata = [:], to logger: Logger? = nil
    ) {
        var metadata = metadata
        metadata["run_id"] = "\(run.id)"
        metadata["run_name"] = "\(run.name)"
        RunLog.log(
            level, message, metadata: metadata, logger: logger ?? configuredLogger, span: spanContext)
    }
}
