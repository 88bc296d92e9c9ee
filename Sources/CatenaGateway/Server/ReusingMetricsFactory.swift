import CoreMetrics
import Synchronization

/// A metrics factory that makes each metric once per label and dimensions and hands the same handler back
/// afterwards. swift-metrics asks its factory anew each time a metric is created, and the gateway creates its
/// metrics per request; Prometheus's factory then sanitizes and validates the names and looks the series up under
/// its registry's lock each time (4% of the gateway's time: `scripts/gateway-bench.sh`).
final class ReusingMetricsFactory: MetricsFactory {
    /// A handler's identity: its kind, label and dimensions.
    private struct Key: Hashable {
        let kind: ObjectIdentifier
        let label: String
        let dimensions: [String]
    }

    private let base: any MetricsFactory
    private let handlers = Mutex<[Key: any Sendable]>([:])

    /// Reuses the handlers `base` makes.
    init(_ base: any MetricsFactory) {
        self.base = base
    }

    /// The handler of `kind` for `label` and `dimensions`: the one made before, else one `make` makes.
    private func reuse<Handler: Sendable>(
        _ kind: Handler.Type, _ label: String, _ dimensions: [(String, String)], make: () -> Handler
    ) -> Handler {
        let key = Key(
            kind: ObjectIdentifier(kind), label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        if let made = handlers.withLock({ $0[key] }) as? Handler { return made }
        let made = make()
        return handlers.withLock { handlers in
            if let earlier = handlers[key] as? Handler { return earlier }
            handlers[key] = made
            return made
        }
    }

    /// Forgets `handler`, then has `base` destroy it.
    private func forget(_ handler: AnyObject) {
        handlers.withLock { handlers in
            for (key, value) in handlers where value as AnyObject === handler { handlers[key] = nil }
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        reuse((any CounterHandler).self, label, dimensions) { base.makeCounter(label: label, dimensions: dimensions) }
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        reuse((any FloatingPointCounterHandler).self, label, dimensions) {
            base.makeFloatingPointCounter(label: label, dimensions: dimensions)
        }
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        reuse((any MeterHandler).self, label, dimensions) { base.makeMeter(label: label, dimensions: dimensions) }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let kind = aggregate ? "aggregate" : "last"
        return reuse((any RecorderHandler).self, label, dimensions + [("", kind)]) {
            base.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        reuse((any TimerHandler).self, label, dimensions) { base.makeTimer(label: label, dimensions: dimensions) }
    }

    func destroyCounter(_ handler: any CounterHandler) {
        forget(handler)
        base.destroyCounter(handler)
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        forget(handler)
        base.destroyFloatingPointCounter(handler)
    }

    func destroyMeter(_ handler: any MeterHandler) {
        forget(handler)
        base.destroyMeter(handler)
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        forget(handler)
        base.destroyRecorder(handler)
    }

    func destroyTimer(_ handler: any TimerHandler) {
        forget(handler)
        base.destroyTimer(handler)
    }
}
