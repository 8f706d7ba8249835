import Synchronization

/// Remembers the encapsulated keys of recent sealed requests, so a relay that replays one cannot
/// make the wallet serve (and spend a gift) twice. Keeps the newest ``capacity`` keys.
package final class ReplayGuard: Sendable {
    package let capacity: Int
    private struct State {
        var seen: Set<String> = []
        var order: [String] = []
        var head = 0
    }
    private let state = Mutex(State())

    package init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Whether this is the first time `key` is seen (and remembers it).
    package func firstUse(_ key: String) -> Bool {
        state.withLock { state in
            guard state.seen.insert(key).inserted else { return false }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.seen.remove(state.order[state.head])
                state.order[state.head] = key
                state.head = (state.head + 1) % capacity
            }
            return true
        }
    }
}
