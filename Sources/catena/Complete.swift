import ArgumentParser
import Catena
import CatenaRedis
import CatenaCompletion
import CatenaOCI
import CatenaOpenAI
import CatenaSQLiteCache
import Foundation

/// `catena complete`: one prompt through the completion layer, with its cost, cache hit or miss and payload.
struct Complete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Answer one prompt through completion(provider/model): cost, cache hit or miss, and the logging payload.")

    @Argument(help: "The prompt.") var prompt: String
    @Option(help: "The provider prefix: hosted_vllm, openai, or oci (with --oci-endpoint).") var provider =
        "hosted_vllm"
    @Option(
        help:
            "The SQLite cache file (default: $XDG_CACHE_HOME/catena/completions.sqlite, else ~/.cache/catena/completions.sqlite)."
    )
    var cache: String?
    @Flag(help: "Do not use the cache.") var noCache = false
    @Flag(
        help:
            "Cache (and reuse) answers at any temperature; by default only at --temperature 0, where they are deterministic."
    )
    var cacheAnyTemperature = false
    @Option(help: "Use the Redis server at HOST:PORT as the cache instead of SQLite.") var redis: String?
    @Flag(help: "Stream the answer.") var stream = false
    @Flag(help: "Print the success (or failure) payload as JSON to standard error.") var payload = false
    @Option(
        help:
            "Write the payload as JSON to this file instead (- for standard output, for jq: the answer then goes to standard error)."
    )
    var payloadTo: String?
    @OptionGroup var model: ModelOptions

    func validate() throws {
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the prompt is empty")
        }
    }

    func run() async throws {
        try await model.telemetry.exporting { try await complete() }
    }

    /// The call, its logging and its summary.
    private func complete() async throws {
        let configuration = try model.server.configuration()
        let destination: SummaryLogger.Destination? =
            switch payloadTo {
            case "-"?: .standardOutput
            case let path?: .file(path)
            case nil: payload ? .standardError : nil
            }
        let summary = SummaryLogger(payloadDestination: destination)
        let llm = CompletionClient(
            providers: .catena, cache: try completionCache(), loggers: [summary])
        var options = CompletionOptions(
            parameters: try model.parameters(), apiBase: configuration.endpoint.baseURL,
            apiKey: configuration.apiKey, timeout: configuration.readTimeout,
            maxRetries: configuration.retry.maxAttempts - 1)
        options.cache.enabled = !noCache && (cacheAnyTemperature || model.sampling.temperature == 0)
        let target = "\(model.server.ociEndpoint == nil ? provider : "oci")/\(model.model)"
        // Standard output carries only the payload when it goes there, so jq can read it.
        let payloadOnStandardOutput = payloadTo == "-"
        func show(_ text: String) {
            if payloadOnStandardOutput { printError(text, terminator: "") } else { writeOutput(text) }
        }
        do {
            if stream {
                for try await chunk in llm.streamingCompletion(
                    model: target, messages: [.user(prompt)], options: options)
                {
                    show(chunk.text)
                }
                show("\n")
            } else {
                show(try await llm.completion(model: target, messages: [.user(prompt)], options: options).text + "\n")
            }
        } catch {
            try await llm.shutdown()
            throw CLIError.explaining(error)
        }
        try await llm.shutdown()
    }

    /// The cache the flags ask for.
    private func completionCache() throws -> (any ResponseCache)? {
        if noCache { return nil }
        if let redis {
            let parts = redis.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else {
                throw CLIError(description: "--redis expects HOST:PORT, got '\(redis)'")
            }
            return RedisResponseCache(host: String(parts[0]), port: port)
        }
        let path = cache ?? Self.defaultCachePath
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        return try SQLiteResponseCache(path: path)
    }

    /// `$XDG_CACHE_HOME/catena/completions.sqlite`, else `~/.cache/catena/completions.sqlite`.
    static var defaultCachePath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
        return base + "/catena/completions.sqlite"
    }
}

/// Prints one line per finished call: tokens, cost, cache hit or miss, latency; and writes the payload where asked
/// (a file, `-` for standard output).
private struct SummaryLogger: CompletionLogger {
    /// Where the payload goes.
    enum Destination { case standardError, standardOutput, file(String) }

    let payloadDestination: Destination?

    func logSuccess(_ payload: LoggingPayload) async throws {
        printError(payload.summary)
        try write(payload)
    }

    func logFailure(_ payload: LoggingPayload) async throws {
        printError(payload.summary)
        try write(payload)
    }

    /// The payload as one line of JSON, times to the microsecond, at the destination.
    private func write(_ payload: LoggingPayload) throws {
        guard let payloadDestination else { return }
        let line = try JSONValueEncoder(dates: .iso8601).encode(payload).jsonString + "\n"
        switch payloadDestination {
        case .standardError: printError(line, terminator: "")
        case .standardOutput: writeOutput(line)
        case .file(let path): try Data(line.utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}
