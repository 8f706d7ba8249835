import ByokyWallet
import Synchronization

/// The proxy engine's memory per account (caps' in-flight reservations): the engine made for
/// each request of an account shares its account's. Usage itself is read from the database, which
/// every instance writes, so the caps hold across instances but for requests in flight elsewhere.
final class EngineStates: Sendable {
    private let states = Mutex<[String: ProxyEngine.State]>([:])
    /// Past this many accounts the memory is dropped (only in-flight reservations are lost: the
    /// usage they settle into is in the database).
    static let limit = 10_000

    func state(for userID: String) -> ProxyEngine.State {
        states.withLock { states in
            if let state = states[userID] { return state }
            if states.count >= Self.limit { states.removeAll() }
            let state = ProxyEngine.State(usageLogIsShared: true)
            states[userID] = state
            return state
        }
    }
}
