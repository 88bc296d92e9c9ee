import Catena
import CatenaAnthropic
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import CatenaTestServices

/// A client with no environment (so tests never pick up real keys) and instant retries.
func makeClient(
    cache: (any ResponseCache)? = nil, loggers: [any CompletionLogger] = [], logBufferCapacity: Int = 10_000
)
    -> CompletionClient
{
    let providers = ProviderRegistry([
        ModelServerProvider.openAI(environment: [:], retry: instantRetry),
        ModelServerProvider.hostedVLLM(environment: [:], retry: instantRetry),
        ModelServerProvider.anthropic(environment: [:], retry: instantRetry),
    ])
    return CompletionClient(providers: providers, cache: cache, loggers: loggers, logBufferCapacity: logBufferCapacity)
}
