import ByokyCore
import ByokyStore
import ByokyTesting
import Testing

@testable import ByokyWallet

/// Every way the wallet derives a key from a password leaves the executor it was called on free
/// while the derivation runs: in the daemon that executor is an event loop, and a derivation run
/// in place held every connection on it, the bridge's streams included (a wallet page's backup
/// export, a derivation per key, held one for seconds).
///
/// Each operation runs on an executor of one thread that is probed every 10 ms; no probe may wait
/// a quarter of the operation's time. Before, the probes waited for the whole derivation.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct KeyDerivationWorkTests {
    static let password = "Derivation-Password-44"
    static let backupPassword = "Backup-Password-55"
    /// Rounds enough for a derivation to last some hundreds of milliseconds (a backup's values
    /// take the format's 600,000 each).
    static let iterations = 1_000_000

    enum Operation: CaseIterable, CustomStringConvertible {
        case initialize, unlock, wrongPassword, changePassword, sealBackup, openBackup

        var description: String {
            switch self {
            case .initialize: "creating the wallet"
            case .unlock: "unlocking"
            case .wrongPassword: "unlocking with a wrong password"
            case .changePassword: "changing the password"
            case .sealBackup: "sealing a backup file"
            case .openBackup: "opening a backup file"
            }
        }
    }

    @Test(arguments: Operation.allCases)
    func aDerivationLeavesTheCallersExecutorFree(_ operation: Operation) async throws {
        try await TemporaryFolder.with { folder in
            let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
            do {
                let run = try await Self.prepare(operation, on: wallet)
                let outcome = try await HeldExecutorProbe.run(run)
                // The derivation is long enough to see: a probe held by it would wait most of this.
                #expect(outcome.duration >= .milliseconds(80), "\(outcome)")
                #expect(outcome.probes >= 4, "\(outcome)")
                #expect(outcome.longestWait < outcome.duration / 4, "\(operation): \(outcome)")
                if operation == .changePassword {
                    wallet.lock()
                    try await wallet.unlock(password: Self.password + "-new")
                }
                try await wallet.close()
            } catch {
                try? await wallet.close()
                throw error
            }
        }
    }

    /// Sets `wallet` up for `operation`, and returns the operation, which checks its own result.
    private static func prepare(
        _ operation: Operation,
        on wallet: Wallet
    ) async throws -> @Sendable () async throws -> Void {
        if operation != .initialize {
            let isBackup = operation == .sealBackup || operation == .openBackup
            try await wallet.initialize(password: password, iterations: isBackup ? 100_000 : iterations)
            for index in 0..<(isBackup ? 1 : 2) {
                try await wallet.addCredential(provider: .anthropic, secret: SecretString("sk-derive-\(index)"))
            }
        }
        switch operation {
        case .initialize:
            return { try await wallet.initialize(password: password, iterations: iterations) }
        case .unlock:
            wallet.lock()
            return {
                try await wallet.unlock(password: password)
                #expect(wallet.isUnlocked)
            }
        case .wrongPassword:
            wallet.lock()
            return {
                await #expect(throws: ByokyError.self) { try await wallet.unlock(password: password + "-wrong") }
                #expect(!wallet.isUnlocked)
            }
        case .changePassword:
            return { try await wallet.changePassword(from: password, to: password + "-new") }
        case .sealBackup:
            return {
                let text = try await wallet.sealedBackup(password: backupPassword)
                // The file's shape only: opening it derives keys, which this executor must not.
                #expect(throws: Never.self) { try ByokyBackupFile.checkShape(text) }
            }
        case .openBackup:
            let text = try await wallet.sealedBackup(password: backupPassword)
            for credential in try await wallet.credentials() { try await wallet.removeCredential(credential.id) }
            return {
                let report = try await wallet.importBackup(fileText: text, password: backupPassword)
                #expect(report.added.count == 1)
            }
        }
    }
}
