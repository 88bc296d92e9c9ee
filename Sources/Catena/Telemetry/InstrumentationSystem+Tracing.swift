package import Tracing

extension InstrumentationSystem {
    /// Whether a tracer is in place (bound to the task, or bootstrapped): a no-op instrument or tracer is none.
    /// Compares types (a dynamic cast with `is` took two thirds of this check's time: `catena-bench` row "LLM
    /// invoke, 0 handler(s)").
    package static var isTracing: Bool {
        let instrument = type(of: instrument)
        return !(instrument == NoOpInstrument.self || instrument == NoOpTracer.self)
    }
}
