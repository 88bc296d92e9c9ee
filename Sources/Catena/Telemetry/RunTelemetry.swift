import Foundation
import Metrics
import Synchronization
package import Tracing

/// Reports every run of one run tree as an OpenTelemetry span through swift-distributed-tracing, and model runs
/// as GenAI metrics through swift-metrics: what Catena attaches by itself to a root run when a tracer or a metrics
/// backend is in place (bootstrapped, or bound with `withTracer` / `withMetricsFactory`), so that nothing is paid
/// when neither is.
///
/// Spans nest exactly as runs do, whatever task a run runs on; the root's span is a child of the caller's
/// `ServiceContext`. Model runs follow the GenAI conventions (``GenAIAttributes``); retries and cache hits are span
/// events; an error sets `error.type` and the error status.
final class RunTelemetry: CallbackHandler {
    /// A run in progress: its span and when it started.
    private struct OpenRun {
        let span: any Span
        /// The span's context, holding the run (``TracedRun``) as well.
        let context: ServiceContext
        let started: ContinuousClock.Instant
        var firstChunk: ContinuousClock.Instant?
        var chunks = 0
    }

    private let tracer: any Tracer
    /// Whether spans are recorded: without a tracer, no span attribute is built (a gateway with metrics but no
    /// tracer spent 2% of its time on them: `scripts/gateway-bench.sh`).
    private let tracing: Bool
    /// The context the root run's span is a child of.
    private let callerContext: ServiceContext
    private let metrics: GenAIMetrics?
    /// Whether model spans carry the messages (``TelemetryContent/captured`` when the tree started).
    private let capturesContent: Bool
    private let open = Mutex<[UUID: OpenRun]>([:])

    private init(tracer: (any Tracer)?, callerContext: ServiceContext, metrics: GenAIMetrics?) {
        self.capturesContent = tracer != nil && TelemetryContent.captured
        self.tracer = tracer ?? NoOpTracer()
        self.tracing = tracer != nil
        self.callerContext = callerContext
        self.metrics = metrics
    }

    /// The telemetry of a new run tree, or `nil` when neither a tracer nor a metrics backend is in place.
    ///
    /// Checked at the start of every run tree, so it looks only at the instrument and the factory in place (a task
    /// local and a lock each) and compares their types (``Tracing/InstrumentationSystem/isTracing``); it finds the
    /// tracer only when there is an instrument. A no-op tracer bound to a task (`withTracer(NoOpTracer())`) turns
    /// tracing off there, even under a bootstrapped one.
    static func forNewRunTree() -> RunTelemetry? {
        let tracing = InstrumentationSystem.isTracing
        let measuring = type(of: MetricsSystem.factory) != NOOPMetricsHandler.self
        guard tracing || measuring else { return nil }
        return RunTelemetry(
            tracer: tracing ? InstrumentationSystem.tracer : nil,
            callerContext: ServiceContext.current ?? .topLevel,
            metrics: measuring ? GenAIMetrics() : nil)
    }

    /// The context of `runID`'s span, for work done inside the run (an HTTP request carries it as `traceparent`).
    func context(of runID: UUID) -> ServiceContext? {
        open.withLock { $0[runID]?.context }
    }

    /// Adds `attributes` to the span of `runID`, if it is open.
    func addAttributes(_ attributes: SpanAttributes, to runID: UUID) {
        span(of: runID)?.attributes.merge(attributes)
    }

    func handle(_ event: CallbackEvent) {
        let run = event.run
        if event.startsRun {
            start(run, content: capturesContent ? Self.input(of: event.payload) : [:])
            return
        }
        switch event.payload {
        case .llmNewToken:
            open.withLock { runs in
                guard var open = runs[run.id] else { return }
                if open.firstChunk == nil { open.firstChunk = .now }
                open.chunks += 1
                runs[run.id] = open
            }
        case .retry(let state):
            span(of: run.id)?.addEvent(
                SpanEvent(
                    name: "retry",
                    attributes: [
                        "catena.retry.attempt": .int64(Int64(state.attempt)),
                        "error.type": .string(errorTypeName(state.error)),
                    ]))
            metrics?.retried(run)
        case .cacheHit:
            span(of: run.id)?.addEvent(SpanEvent(name: "cache_hit"))
            metrics?.cacheLookup(run, hit: true)
        case .cacheMiss:
            metrics?.cacheLookup(run, hit: false)
        case .llmEnd(let result):
            var attributes: SpanAttributes = [:]
            if tracing {
                attributes = GenAIAttributes.end(of: result)
                if let cost = result.cost { attributes["catena.cost"] = cost }
                if capturesContent { attributes.merge(TelemetryContent.output(result)) }
            }
            end(run, attributes: attributes, error: nil, usage: result)
        case .llmError(let error, let partial):
            end(run, attributes: tracing ? GenAIAttributes.end(of: partial) : [:], error: error, usage: partial)
        default:
            if event.endsRun { end(run, attributes: [:], error: event.error, usage: nil) }
        }
    }

    /// The messages a model run starts with, as span attributes.
    private static func input(of start: CallbackEvent.Payload) -> SpanAttributes {
        switch start {
        case .chatModelStart(let messages, _): TelemetryContent.input(messages.first ?? [])
        case .llmStart(let prompts, _): TelemetryContent.input(prompts.map { Message.user($0) })
        default: [:]
        }
    }

    private func start(_ run: RunInfo, content: SpanAttributes) {
        let parent = run.parentID.flatMap { context(of: $0) } ?? callerContext
        let (name, kind) = GenAIAttributes.span(of: run)
        let span = tracer.startSpan(name, context: parent, ofKind: kind, at: DefaultTracerClock.now)
        if tracing {
            span.attributes.merge(GenAIAttributes.start(of: run))
            span.attributes.merge(content)
            span.attributes["catena.run.id"] = run.id.uuidString
            span.attributes["catena.run.type"] = run.type.rawValue
        }
        var spanContext = span.context
        spanContext[TracedRun.Key.self] = TracedRun(telemetry: self, runID: run.id)
        open.withLock { $0[run.id] = OpenRun(span: span, context: spanContext, started: .now) }
    }

    private func span(of runID: UUID) -> (any Span)? {
        open.withLock { $0[runID]?.span }
    }

    private func end(_ run: RunInfo, attributes: SpanAttributes, error: (any Error)?, usage: LLMResult?) {
        guard let open = open.withLock({ $0.removeValue(forKey: run.id) }) else { return }
        let span = open.span
        span.attributes.merge(attributes)
        if let error {
            span.attributes["error.type"] = errorTypeName(error)
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error, message: "\(error)"))
        }
        span.end()
        metrics?.ended(
            run, duration: ContinuousClock.now - open.started, firstChunk: open.firstChunk.map { $0 - open.started },
            chunks: open.chunks, result: usage, error: error)
    }
}

extension [any CallbackHandler] {
    /// Catena's telemetry among these handlers: always the first when present (a run tree's root context starts
    /// with it, and handlers are only ever appended after).
    var telemetry: RunTelemetry? { first as? RunTelemetry }
}

extension RunManager {
    /// The context of the run's span, when Catena's telemetry traces the run.
    package var spanContext: ServiceContext? {
        guard let run = self as? any CoreRunManager else { return nil }
        return run.core.handlers.telemetry?.context(of: run.core.run.id)
    }
}

extension RunnableStream {
    /// This stream with `context` as the current `ServiceContext` (`nil`: unchanged) while it starts and until its
    /// first chunk, so the request it makes (when it starts, or on the first pull) joins the run's trace.
    package func started(in context: ServiceContext?) -> RunnableStream {
        guard let context else { return self }
        let source = self
        return RunnableStream(start: {
            let next = try await ServiceContext.$current.withValue(context) { try await source.start() }
            let first = OnceFlag()
            return {
                if first.isSet { return try await next() }
                first.isSet = true
                return try await ServiceContext.$current.withValue(context) { try await next() }
            }
        })
    }
}
