public import ByokyCore

/// An app's "which models are there" request, answered in its own API family's format when its
/// owner routes it to another provider. Apps ask it as they start (to fill a model picker, or to
/// check their model exists); refused, as any other endpoint that cannot be translated, such an
/// app would not start at all. The models named are the ones the route serves: any model the app
/// then asks for is answered by the route's model.
public enum ModelListing {
    /// What a request asks.
    public enum Request: Sendable, Hashable {
        /// Every model (`GET /v1/models`, Gemini's `GET /v1beta/models`).
        case list
        /// One model by its id (`GET /v1/models/{id}`).
        case model(String)
    }

    /// What `method pathAndQuery` asks of `provider` (an app's request, under the provider's
    /// prefix); `nil` when it is not a model request. Anything but a `GET` is turned away first,
    /// with nothing made: every request of a routed app comes through here.
    public static func request(method: String, pathAndQuery: String, of provider: Provider) -> Request? {
        guard method == "GET", let family = provider.family else { return nil }
        let path = pathAndQuery.prefix { $0 != "?" }
        for list in listPaths(of: provider, family: family) {
            if path == list { return .list }
            guard path.hasPrefix(list + "/") else { continue }
            let id = path.dropFirst(list.count + 1)
            guard !id.isEmpty, !id.contains("/") else { return nil }
            return .model(String(id))
        }
        return nil
    }

    /// The paths that list models in `family`'s own format for an app of `provider`: the
    /// provider's own list path when it is the family's kind, and the family's usual one.
    private static func listPaths(of provider: Provider, family: APIFamily) -> [String] {
        let usual = family == .gemini ? ["/v1beta/models", "/v1/models"] : ["/v1/models"]
        guard let own = provider.modelList?.path.split(separator: "?").first.map(String.init),
            own.hasSuffix("/models"), !usual.contains(own)
        else { return usual }
        return [own] + usual
    }

    /// The answer to `request` naming `models` (ids), in `family`'s format; `owner` is the
    /// provider that serves them. A single model asked for is answered under the id asked.
    public static func answer(_ request: Request, models: [String], owner: ProviderID, family: APIFamily) -> [UInt8] {
        var writer = JSONWriter()
        switch request {
        case .list:
            writeList(models, owner: owner, family: family, into: &writer)
        case .model(let id):
            writeModel(id, owner: owner, family: family, into: &writer)
        }
        return writer.bytes
    }

    private static func writeList(
        _ models: [String],
        owner: ProviderID,
        family: APIFamily,
        into writer: inout JSONWriter
    ) {
        let entries = JSONValue.array(models.map { entry($0, owner: owner, family: family) })
        switch family {
        case .openai:
            writer.writeObject([("object", .string("list")), ("data", entries)])
        case .anthropic:
            writer.writeObject([
                ("data", entries), ("has_more", .bool(false)),
                ("first_id", models.first.map(JSONValue.string) ?? .null),
                ("last_id", models.last.map(JSONValue.string) ?? .null),
            ])
        case .gemini, .cohere:
            writer.writeObject([("models", entries)])
        }
    }

    private static func writeModel(_ id: String, owner: ProviderID, family: APIFamily, into writer: inout JSONWriter) {
        writer.write(entry(id, owner: owner, family: family))
    }

    /// One model as `family`'s API describes it, with the catalog's name and limits when known.
    private static func entry(_ id: String, owner: ProviderID, family: APIFamily) -> JSONValue {
        let known = ModelCatalog.model(id)
        let name = JSONValue.string(known?.displayName ?? id)
        let window = known.map { JSONValue.number(Double($0.contextWindow)) }
        let output = known.map { JSONValue.number(Double($0.maxOutputTokens)) }
        var members: [String: JSONValue?]
        switch family {
        case .openai:
            members = [
                "id": .string(id), "object": .string("model"), "created": .number(0),
                "owned_by": .string(owner.rawValue),
            ]
        case .anthropic:
            members = [
                "type": .string("model"), "id": .string(id), "display_name": name,
                "created_at": .string("1970-01-01T00:00:00Z"), "lifecycle": .string("active"),
                "max_input_tokens": window, "max_tokens": output,
            ]
        case .gemini:
            members = [
                "name": .string("models/" + id), "baseModelId": .string(id), "version": .string("001"),
                "displayName": name, "inputTokenLimit": window, "outputTokenLimit": output,
                "supportedGenerationMethods": .array([.string("generateContent"), .string("countTokens")]),
            ]
        case .cohere:
            members = [
                "name": .string(id), "endpoints": .array([.string("chat")]), "finetuned": .bool(false),
                "context_length": window, "features": .array([.string("tools"), .string("strict_tools")]),
            ]
        }
        return .object(members.compactMapValues { $0 })
    }
}
