/// The identifier of a provider in the registry, e.g. `anthropic` or `azure_openai`.
///
/// Unknown identifiers still decode, so a wire value from a newer peer is never lost; use
/// ``ProviderRegistry/provider(_:)`` to learn whether Byoky knows it.
public struct ProviderID: RawRepresentable, Hashable, Sendable, Codable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let anthropic: ProviderID = "anthropic"
    public static let openai: ProviderID = "openai"
    public static let gemini: ProviderID = "gemini"
    public static let mistral: ProviderID = "mistral"
    public static let cohere: ProviderID = "cohere"
    public static let xai: ProviderID = "xai"
    public static let deepseek: ProviderID = "deepseek"
    public static let perplexity: ProviderID = "perplexity"
    public static let groq: ProviderID = "groq"
    public static let together: ProviderID = "together"
    public static let fireworks: ProviderID = "fireworks"
    public static let openrouter: ProviderID = "openrouter"
    public static let azureOpenAI: ProviderID = "azure_openai"
    public static let ollama: ProviderID = "ollama"
    public static let lmStudio: ProviderID = "lm_studio"
}
