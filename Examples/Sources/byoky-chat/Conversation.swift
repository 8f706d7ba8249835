import ByokySDK
import Foundation

/// Builds streaming chat requests in the provider's own format and reads its text deltas.
struct Conversation {
    let provider: ProviderID
    let model: String

    func request(_ history: [(role: String, text: String)]) -> ByokyFetch.Request {
        let messages = history.map { ["role": $0.role, "content": $0.text] }
        let url: String
        var body: [String: Any] = ["model": model, "stream": true, "messages": messages]
        if provider == .anthropic {
            url = "https://api.anthropic.com/v1/messages"
            body["max_tokens"] = 1024
        } else {
            url = "https://api.openai.com/v1/chat/completions"
        }
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        return ByokyFetch.Request(url: url, headers: [("content-type", "application/json")], body: Array(data))
    }

    /// The text an event adds to the reply, if any.
    func textDelta(in event: ServerSentEvent) -> String? {
        guard !event.isDoneMarker,
            let object = try? JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any]
        else { return nil }
        if provider == .anthropic {
            return (object["delta"] as? [String: Any])?["text"] as? String
        }
        let choice = (object["choices"] as? [[String: Any]])?.first
        return (choice?["delta"] as? [String: Any])?["content"] as? String
    }
}
