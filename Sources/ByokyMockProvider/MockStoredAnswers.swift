import ByokyCore
import Synchronization

/// What OpenAI keeps of its answers, in memory: responses (stored unless a request says `store:
/// false`), chat completions asked for with `store: true`, and conversations with their items.
/// Read back by id as the provider answers them, usage and all. The oldest are forgotten past
/// ``capacity`` of each kind.
final class MockStoredAnswers: Sendable {
    /// The most answers (and conversations) kept of each kind.
    static let capacity = 1_000

    /// Kinds of what is kept, each with its own ids.
    enum Kind: Sendable {
        case response, chatCompletion, conversation
    }

    private struct Shelf {
        var objects: [String: JSONValue] = [:]
        var order: [String] = []
    }

    private struct State {
        var shelves: [Kind: Shelf] = [:]
        var made = 0
    }

    private let state = Mutex(State())

    /// Keeps `object` (an answer of `kind`) under its `id`; an object without one is not kept.
    func keep(_ object: JSONValue, as kind: Kind) {
        guard let id = object["id"]?.stringValue else { return }
        state.withLock { state in
            var shelf = state.shelves[kind] ?? Shelf()
            if shelf.objects.updateValue(object, forKey: id) == nil { shelf.order.append(id) }
            if shelf.order.count > Self.capacity { shelf.objects[shelf.order.removeFirst()] = nil }
            state.shelves[kind] = shelf
        }
    }

    /// The object of `kind` kept as `id`.
    func object(_ id: String, of kind: Kind) -> JSONValue? {
        state.withLock { $0.shelves[kind]?.objects[id] }
    }

    /// Changes the object of `kind` kept as `id` with `change`; the changed object, or `nil`
    /// when none is kept.
    func update(_ id: String, of kind: Kind, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue? {
        state.withLock { state in
            guard case .object(var members)? = state.shelves[kind]?.objects[id] else { return nil }
            change(&members)
            state.shelves[kind]?.objects[id] = .object(members)
            return .object(members)
        }
    }

    /// A new id with `prefix` (`conv_`, `msg_`).
    func makeID(_ prefix: String) -> String {
        state.withLock { state in
            state.made += 1
            return prefix + "mock" + String(state.made)
        }
    }
}
