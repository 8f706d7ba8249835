import ByokyCore
import Synchronization

/// The hash of the session key last used on one client connection, so that the connection's
/// next request with the same key (nearly every one) skips the key's SHA-256.
///
/// The daemon binds one to each connection's answering task (``current``); the wallet consults
/// it wherever it hashes a session key. A key is matched in constant time, and only against the
/// connection's own last key, so the memo tells a client nothing it did not send itself. It holds
/// the key in memory while the connection stays open.
public final class SessionKeyMemo: Sendable {
    /// The memo of the connection whose task is running, if it has one.
    @TaskLocal public static var current: SessionKeyMemo?

    private let last = Mutex<(key: String, hash: String)?>(nil)

    public init() {}

    /// The SHA-256 (hex) of `key`: remembered when `key` is the last key hashed here.
    func hash(of key: String) -> String {
        if let last = last.withLock({ $0 }), ConstantTime.equals(last.key, key) { return last.hash }
        let hash = SecureHash.sha256Hex(key)
        last.withLock { $0 = (key, hash) }
        return hash
    }
}
