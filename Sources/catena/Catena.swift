import ArgumentParser

/// `catena`: chat with a model, watch a chain's events, run a batch of prompts, or serve a gateway.
@main
struct CatenaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catena",
        abstract: "Talk to vLLM and OpenAI-compatible models (and Oracle Cloud model deployments).",
        discussion:
            "The server comes from --base-url, $CATENA_BASE_URL or $OPENAI_BASE_URL; start a local one with `bash scripts/llm-server.sh start`.",
        version: "0.1.0",
        subcommands: [Chat.self, Complete.self, Events.self, Batch.self, Demo.self, AgentCommand.self, Serve.self])
}
