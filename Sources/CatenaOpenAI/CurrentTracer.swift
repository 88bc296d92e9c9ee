import Tracing

/// The tracer in place when a span starts (bound to the task, else bootstrapped), for AsyncHTTPClient's
/// configuration: a connection pool then holds no tracer of its own. (A pool that held one could be the last to
/// release a tracer that was replaced, and release it on an event loop, where swift-otel's exporter, which shuts its
/// HTTP client down in `deinit`, traps: seen in the test suite after `catena … --otlp-endpoint` ran in the process.)
struct CurrentTracer: Tracer {
    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> ForwardedSpan {
        ForwardedSpan(
            base: InstrumentationSystem.tracer.startSpan(
                operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID,
                line: line))
    }

    /// Nothing: AsyncHTTPClient never flushes; whoever owns the tracer does.
    func forceFlush() {}

    func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        InstrumentationSystem.instrument.extract(carrier, into: &context, using: extractor)
    }

    func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: injector)
    }
}

/// A span of whichever tracer started it.
struct ForwardedSpan: Span {
    let base: any Span

    var context: InstrumentationContext { base.context }
    var operationName: String {
        get { base.operationName }
        nonmutating set { base.operationName = newValue }
    }
    var attributes: SpanAttributes {
        get { base.attributes }
        nonmutating set { base.attributes = newValue }
    }
    var isRecording: Bool { base.isRecording }

    func setStatus(_ status: SpanStatus) { base.setStatus(status) }
    func addEvent(_ event: SpanEvent) { base.addEvent(event) }
    func addLink(_ link: SpanLink) { base.addLink(link) }
    func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        base.recordError(error, attributes: attributes, at: instant())
    }
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) { base.end(at: instant()) }
}
