import CatenaAnthropic
import CatenaCompletion
import CatenaOCI

extension ProviderRegistry {
    /// The providers the command line reaches, in `complete` and in `serve`: the standard ones, Anthropic's Messages
    /// API (`anthropic/…`) and Oracle Cloud's model deployments (`oci/…`).
    static var catena: ProviderRegistry {
        .standard().registering(ModelServerProvider.anthropic()).registering(OCIModelDeploymentProvider())
    }
}
