import ArgumentParser
import Catena
import CatenaOpenAI

/// The sampling parameters every OpenAI-compatible server takes.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Sampling temperature.") var temperature: Double = 0.2
    @Option(help: "Most tokens to generate.") var maxTokens: Int = 256
    @Option(help: "Nucleus sampling mass.") var topP: Double = 1
    @Option(help: "Top-k sampling (-1: off).") var topK: Int?
    @Option(help: "Min-p sampling.") var minP: Double?
    @Option(help: "Candidates to return.") var n: Int?
    @Option(help: "A stop sequence (repeatable).") var stop: [String] = []
    @Option(help: "Presence penalty.") var presencePenalty: Double = 0
    @Option(help: "Frequency penalty.") var frequencyPenalty: Double = 0
    @Option(help: "Logit bias as TOKEN=BIAS (repeatable).") var logitBias: [String] = []
    @Flag(help: "Return log probabilities.") var logprobs = false
    @Option(help: "Alternatives per token with --logprobs.") var topLogprobs: Int?
    @Option(help: "Sampling seed.") var seed: Int?

    func validate() throws {
        guard maxTokens > 0 else { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens)") }
        _ = try logitBiases()
    }

    /// `--logit-bias` as token → bias.
    func logitBiases() throws -> [String: Double] {
        var bias: [String: Double] = [:]
        for entry in logitBias {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--logit-bias expects TOKEN=BIAS, got '\(entry)'")
            }
            bias[String(parts[0])] = value
        }
        return bias
    }
}
