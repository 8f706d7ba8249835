import ByokyCore
import Synchronization

/// Ids for translated requests (the fallback for a message or tool call id an upstream leaves
/// out): 24 random hex characters, unrelated to each other and to how many requests were made.
///
/// Not secrets, and made for every translated request: they come from a pool of the system
/// generator's bytes refilled 4 KiB at a time (16 system calls for 341 ids), not from a system
/// call each.
enum TranslationRequestID {
    /// Random bytes an id.
    static let byteCount = 12
    private static let refillSize = 4096

    private struct Pool {
        var bytes: [UInt8] = []
        var next = 0
    }

    private static let pool = Mutex(Pool())

    static func next() -> String {
        pool.withLock { pool in
            if pool.next + byteCount > pool.bytes.count {
                pool.bytes = SecureRandom.bytes(refillSize)
                pool.next = 0
            }
            defer { pool.next += byteCount }
            return pool.bytes.withUnsafeBytes {
                Hex.encode(UnsafeRawBufferPointer(rebasing: $0[pool.next..<(pool.next + byteCount)]))
            }
        }
    }
}
