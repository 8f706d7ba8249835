/// The request that lists a provider's models.
public struct ModelListEndpoint: Sendable, Hashable {
    /// The path (and query) under the provider's base URL.
    public let path: String
    /// Extra headers the provider requires on this request.
    public let headers: [String: String]

    public init(path: String, headers: [String: String] = [:]) {
        self.path = path
        self.headers = headers
    }
}
