import Catena
import CoreMetrics
import Foundation
import Hummingbird
import Prometheus

/// The gateway's Prometheus registry, served at `GET /metrics`: requests, their latency, spend and remaining budget
/// per key, and (once the process's metrics go to ``Gateway/metricsFactory``) Catena's GenAI metrics: tokens, time to
/// first chunk, cost, cache hits and misses, retries. Metric and label names use `_` where Catena's use `.`.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Prometheus's factory for the registry, each metric made once.
    let factory: ReusingMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets = GenAIMetricBuckets.byLabel.reduce(into: [:]) { buckets, entry in
            buckets[Self.prometheusName(entry.key)] = entry.value
        }
        factory.durationHistogramBuckets = [
            "catena_gateway_request_duration_seconds": GenAIMetricBuckets.requestDurations,
            "catena_gateway_mcp_call_duration_seconds": GenAIMetricBuckets.requestDurations,
        ]
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.prometheusName(name), labels.map { (Self.prometheusName($0.0), $0.1) })
        }
        self.factory = ReusingMetricsFactory(factory)
    }

    /// `gen_ai.client.token.usage` as Prometheus writes it: `gen_ai_client_token_usage` (every byte outside
    /// `[A-Za-z0-9_:]` becomes `_`). Runs for each metric made, so a valid name is returned as it is, byte by byte,
    /// without Unicode lookups (the profile of `scripts/gateway-bench.sh` showed `Character.isLetter` here at 10%).
    static func prometheusName(_ name: String) -> String {
        if name.utf8.allSatisfy(isAllowed) { return name }
        return String(decoding: name.utf8.map { isAllowed($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: ":"):
            true
        default: false
        }
    }

    /// Counts a request and its latency, by route and status.
    func requestEnded(path: String, status: Int, after duration: Duration) {
        let dimensions = [("route", path), ("status", String(status))]
        Counter(label: "catena_gateway_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "catena_gateway_request_duration_seconds", dimensions: [("route", path)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Counts an MCP call through `/mcp` by server, tool and outcome, with its duration.
    func mcpCallEnded(server: String, tool: String, outcome: String, after duration: Duration) {
        Counter(
            label: "catena_gateway_mcp_calls_total",
            dimensions: [("server", server), ("tool", tool), ("outcome", outcome)], factory: factory
        ).increment()
        Timer(
            label: "catena_gateway_mcp_call_duration_seconds", dimensions: [("server", server), ("tool", tool)],
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Adds a key's spend on `model`, and sets its remaining budget when it has one (from its spend, `keySpend`).
    func spent(_ amount: Double, by key: VirtualKey, on model: String, keySpend: Double) {
        let name = key.alias ?? String(key.hash.prefix(12))
        let dimensions = [("key", name), ("model", model)]
        FloatingPointCounter(label: "catena_gateway_spend_usd_total", dimensions: dimensions, factory: factory)
            .increment(by: amount)
        if let budget = key.maxBudget {
            Gauge(label: "catena_gateway_key_remaining_budget_usd", dimensions: [("key", name)], factory: factory)
                .record(max(0, budget - keySpend))
        }
    }

    /// Sets how many spend log entries wait to be written.
    func spendQueueDepth(_ entries: Int) {
        Gauge(label: "catena_gateway_spend_queue_depth", factory: factory).record(entries)
    }

    /// Sets whether a shared store (`redis`, `key store`) answers.
    func storeUp(_ store: String, _ up: Bool) {
        Gauge(label: "catena_gateway_store_up", dimensions: [("store", store)], factory: factory).record(up ? 1 : 0)
    }

    /// The registry in Prometheus's text format.
    var response: Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// Counts every request by route and status, with its latency.
struct RequestMetrics: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let metrics: GatewayMetrics
    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        // Known routes by name, anything else as one: a scanner's paths must not each become a series.
        let path = UnknownRoutes.route(of: request.uri.path)?.template ?? "other"
        do {
            let response = try await next(request, context)
            metrics.requestEnded(path: path, status: Int(response.status.code), after: .now - started)
            return response
        } catch let error as any HTTPResponseError {
            metrics.requestEnded(path: path, status: Int(error.status.code), after: .now - started)
            throw error
        } catch {
            metrics.requestEnded(path: path, status: 500, after: .now - started)
            throw error
        }
    }
}
