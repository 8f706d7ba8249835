import ByokyCore
import Foundation

@testable import ByokyTranslate

/// Reads files from `Tests/ByokyTranslateTests/Fixtures` (bodies written from the providers' API references).
enum Fixtures {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let root = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        return Array(try Data(contentsOf: root.appendingPathComponent("Fixtures").appendingPathComponent(path)))
    }

    static func json(_ path: String) throws -> JSONNode {
        try JSONNode.parse(bytes(path))
    }

    /// The chat path an app of `family` posts to.
    static func chatPath(_ family: APIFamily, streaming: Bool = false) -> String {
        switch family {
        case .anthropic: "/v1/messages"
        case .openai: "/v1/chat/completions"
        case .gemini:
            streaming
                ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
                : "/v1beta/models/gemini-2.5-flash:generateContent"
        case .cohere: "/v2/chat"
        }
    }

    /// The provider and model a route to `family` calls in these tests.
    static func target(_ family: APIFamily) -> (Provider, String) {
        switch family {
        case .anthropic: (ProviderRegistry.provider(.anthropic)!, "claude-sonnet-4-6")
        case .openai: (ProviderRegistry.provider(.openai)!, "gpt-4.1")
        case .gemini: (ProviderRegistry.provider(.gemini)!, "gemini-2.5-flash")
        case .cohere: (ProviderRegistry.provider(.cohere)!, "command-a-03-2025")
        }
    }

    /// Every ordered pair of different families.
    static var pairs: [(APIFamily, APIFamily)] {
        APIFamily.allCases.flatMap { source in APIFamily.allCases.filter { $0 != source }.map { (source, $0) } }
    }

    static func context(
        from source: APIFamily,
        to target: APIFamily,
        streaming: Bool = false,
        includeUsage: Bool = true
    )
        -> TranslationContext
    {
        let (provider, model) = Self.target(target)
        return TranslationContext(
            sourceFamily: source,
            targetFamily: target,
            targetProvider: provider.id,
            sourceModel: "app-model",
            targetModel: model,
            isStreaming: streaming,
            includeStreamUsage: includeUsage,
            requestID: "req1",
            createdAt: 1_700_000_000
        )
    }
}
