public import CatenaOpenAI

extension ServerEndpoint {
    /// An Oracle Cloud model deployment: `predictURL` is
    /// `https://modeldeployment.<region>.oci.customer-oci.com/<ocid>/predict`. Streams go to
    /// `…/predictWithResponseStream` with `enable-streaming: true`, and the vLLM route travels in the `route` header.
    public static func ociModelDeployment(predictURL: String) -> ServerEndpoint {
        ServerEndpoint(
            baseURL: predictURL, routeHeader: "route",
            streamingURL: predictURL.hasSuffix("/predict") ? predictURL + "WithResponseStream" : predictURL,
            streamingHeaders: ["enable-streaming": "true"])
    }
}
