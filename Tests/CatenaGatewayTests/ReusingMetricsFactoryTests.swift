import CoreMetrics
import MetricsTestKit
import Testing

@testable import CatenaGateway

/// The gateway's metrics factory makes each metric once and hands it back afterwards.
struct ReusingMetricsFactoryTests {
    @Test func aMetricIsMadeOncePerKindLabelAndDimensions() throws {
        let backend = TestMetrics()
        let factory = ReusingMetricsFactory(backend)
        let first = factory.makeCounter(label: "requests", dimensions: [("route", "/a")])
        let again = factory.makeCounter(label: "requests", dimensions: [("route", "/a")])
        #expect(first === again)
        #expect(first !== factory.makeCounter(label: "requests", dimensions: [("route", "/b")]))
        #expect(first !== factory.makeCounter(label: "requests", dimensions: [("route", "/a"), ("status", "200")]))
        let recorder = factory.makeRecorder(label: "tokens", dimensions: [], aggregate: true)
        #expect(recorder === factory.makeRecorder(label: "tokens", dimensions: [], aggregate: true))

        Counter(label: "requests", dimensions: [("route", "/a")], factory: factory).increment()
        Counter(label: "requests", dimensions: [("route", "/a")], factory: factory).increment(by: 2)
        #expect(try backend.expectCounter("requests", [("route", "/a")]).totalValue == 3)
    }

    @Test func aDestroyedMetricIsMadeAnew() throws {
        let factory = ReusingMetricsFactory(TestMetrics())
        let timer = factory.makeTimer(label: "latency", dimensions: [])
        factory.destroyTimer(timer)
        #expect(timer !== factory.makeTimer(label: "latency", dimensions: []))
    }
}
