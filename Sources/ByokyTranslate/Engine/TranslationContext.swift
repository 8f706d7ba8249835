public import ByokyCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The facts of one translated request: who speaks which family, and which model answers.
public struct TranslationContext: Sendable, Hashable {
    /// The family the app speaks (what it sent, and what it must get back).
    public var sourceFamily: APIFamily
    /// The family of the provider that is called.
    public var targetFamily: APIFamily
    /// The provider that is called (its id rules and limits apply, e.g. Mistral tool-call ids).
    public var targetProvider: ProviderID
    /// The model named in the app's request, echoed back in every response and stream.
    public var sourceModel: String?
    /// The model written into the outbound request.
    public var targetModel: String
    /// Whether the app asked for a stream.
    public var isStreaming: Bool
    /// Whether an OpenAI app asked for the final usage chunk.
    public var includeStreamUsage: Bool
    /// Used to mint ids (`msg_…`, `chatcmpl-…`) when the upstream gives none.
    public var requestID: String
    /// Unix time written into responses that carry a creation time (OpenAI `created`).
    public var createdAt: Int
    /// Whether the request counts a chat request's tokens rather than asking for an answer: the
    /// target's count then comes back as the app's count.
    public var countsTokens: Bool

    public init(
        sourceFamily: APIFamily,
        targetFamily: APIFamily,
        targetProvider: ProviderID,
        sourceModel: String? = nil,
        targetModel: String,
        isStreaming: Bool = false,
        includeStreamUsage: Bool = false,
        requestID: String,
        createdAt: Int? = nil,
        countsTokens: Bool = false
    ) {
        self.sourceFamily = sourceFamily
        self.targetFamily = targetFamily
        self.targetProvider = targetProvider
        self.sourceModel = sourceModel
        self.targetModel = targetModel
        self.isStreaming = isStreaming
        self.includeStreamUsage = includeStreamUsage
        self.requestID = requestID
        self.createdAt = createdAt ?? Int(Date().timeIntervalSince1970)
        self.countsTokens = countsTokens
    }

    /// The model name the app sees: its own when it sent one, else the target's.
    public var echoedModel: String { sourceModel ?? targetModel }

    /// The target model's catalog entry, when the catalog knows it.
    var targetModelInfo: ModelInfo? { ModelCatalog.model(targetModel) }
}
