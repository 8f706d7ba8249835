import NIOCore
import NIOPosix

/// Runs work that derives keys from passwords (PBKDF2 with hundreds of thousands of rounds: tens
/// of milliseconds to seconds a derivation, one per secret of a backup file) on threads kept for
/// it.
///
/// In the daemon, asynchronous code runs on the event loops, which also carry the bridge's
/// connections: a derivation run in place held every connection of its loop, streams included,
/// until it ended. Elsewhere it would hold a thread of the cooperative pool. Nor does it go to
/// SwiftNIO's shared blocking pool, where the wallet's and the vault's SQLite queries run: two
/// derivations at once would hold every query. Every derivation a server makes goes through here.
public enum KeyDerivationWork {
    /// One thread a core: derivations run side by side as far as the machine allows.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()

    /// The value `work` returns (or the error it throws), computed on the derivation threads.
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await threads.runIfActive(work)
    }
}
