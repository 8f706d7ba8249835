import ByokyCore
import Synchronization

/// Responses run in the background (OpenAI's `background: true`) whose usage the wallet has
/// recorded. Such a response's creation is answered before it runs, with no usage; its usage is
/// recorded the first time the app reads it back finished, and every later read is only a read.
/// Kept in memory for the ``capacity`` latest (a read after a restart records it again).
final class BackgroundResponses: Sendable {
    static let capacity = 10_000

    private struct State {
        var recorded: Set<String> = []
        /// The ids in the order they were recorded, the oldest at `next` once full.
        var order: [String] = []
        var next = 0
    }

    private let state = Mutex(State())

    /// The id of the stored response `answer`, when it ran in the background.
    static func backgroundID(of answer: UnsafeRawBufferPointer) -> String? {
        guard let spans = JSONTopLevelScanner.valueSpans(ofKeys: ["background"], in: answer),
            let background = spans["background"],
            UnsafeRawBufferPointer(rebasing: answer[background]).elementsEqual("true".utf8),
            let id = JSONTopLevelScanner.string(forKey: "id", in: answer), !id.isEmpty
        else { return nil }
        return id
    }

    /// Whether the usage of the background response `id` is recorded now (not before).
    func claim(_ id: String) -> Bool {
        state.withLock { state in
            guard state.recorded.insert(id).inserted else { return false }
            if state.order.count < Self.capacity {
                state.order.append(id)
            } else {
                state.recorded.remove(state.order[state.next])
                state.order[state.next] = id
                state.next = (state.next + 1) % Self.capacity
            }
            return true
        }
    }

    /// Whether `method path` at `provider` reads back one stored response (`GET …/responses/{id}`
    /// at OpenAI or Azure).
    static func isRead(method: String, path: Substring, provider: ProviderID) -> Bool {
        guard method == "GET", provider == .openai || provider == .azureOpenAI else { return false }
        let tail = PathTail(path)
        return tail.before == "responses" && !tail.last.isEmpty
    }
}
