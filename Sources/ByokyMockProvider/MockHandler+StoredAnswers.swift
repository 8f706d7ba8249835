import ByokyCore
import Foundation
import Hummingbird

extension MockHandler {
    /// `GET /v1/responses/{id}`: a stored response as it was answered, usage and all; OpenAI's
    /// 404 for one it does not keep.
    func retrieveResponse(_ request: Request, id: String) -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        guard let response = stored.object(id, of: .response) else {
            return error(.notFound, "Response with id '\(id)' not found.", family: .openai)
        }
        return json(MockRenderer.bytes(response))
    }

    /// `GET /v1/chat/completions/{id}`: a chat completion made with `store: true`, as it was
    /// answered, usage and all.
    func retrieveChatCompletion(_ request: Request, id: String) -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        guard let completion = stored.object(id, of: .chatCompletion) else {
            return error(.notFound, "Chat completion with id '\(id)' not found.", family: .openai)
        }
        return json(MockRenderer.bytes(completion))
    }

    /// `POST /v1/chat/completions/{id}`: a stored chat completion's metadata replaced (the only
    /// change OpenAI allows); the whole completion comes back, usage and all.
    func updateChatCompletion(_ request: Request, id: String) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        guard case .object(let object)? = JSONCoding.parse(Array(body.readableBytesView)) else {
            return error(.invalidRequest, "The request body is not a JSON object", family: .openai)
        }
        guard case .object? = object["metadata"] else {
            return error(.invalidRequest, "Missing required parameter: 'metadata'.", family: .openai)
        }
        guard let updated = stored.update(id, of: .chatCompletion, { $0["metadata"] = object["metadata"] }) else {
            return error(.notFound, "Chat completion with id '\(id)' not found.", family: .openai)
        }
        return json(MockRenderer.bytes(updated))
    }

    /// `POST /v1/conversations`: a conversation made, with the items and metadata given (no
    /// model runs).
    func createConversation(_ request: Request) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        let parsed = body.readableBytes == 0 ? .object([:]) : JSONCoding.parse(Array(body.readableBytesView))
        guard case .object(let object)? = parsed else {
            return error(.invalidRequest, "The request body is not a JSON object", family: .openai)
        }
        let conversation = JSONValue.object([
            "id": .string(stored.makeID("conv_")),
            "object": .string("conversation"),
            "created_at": .number(Double(Int(Date().timeIntervalSince1970))),
            "metadata": object["metadata"] ?? .object([:]),
        ])
        stored.keep(conversation, as: .conversation)
        return json(MockRenderer.bytes(conversation))
    }

    /// `POST /v1/conversations/{id}/items`: items added to a conversation (no model runs), listed
    /// back with their ids.
    func addConversationItems(_ request: Request, conversation id: String) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        guard stored.object(id, of: .conversation) != nil else {
            return error(.notFound, "Conversation with id '\(id)' not found.", family: .openai)
        }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        guard case .object(let object)? = JSONCoding.parse(Array(body.readableBytesView)),
            case .array(let items)? = object["items"], !items.isEmpty
        else { return error(.invalidRequest, "Missing required parameter: 'items'.", family: .openai) }
        let added: [JSONValue] = items.map { item in
            guard case .object(var members) = item else { return item }
            members["id"] = .string(stored.makeID("msg_"))
            members["type"] = members["type"] ?? .string("message")
            members["status"] = .string("completed")
            return .object(members)
        }
        return json(
            MockRenderer.bytes(
                .object([
                    "object": .string("list"),
                    "data": .array(added),
                    "first_id": added.first?["id"] ?? .null,
                    "last_id": added.last?["id"] ?? .null,
                    "has_more": .bool(false),
                ])
            )
        )
    }
}
