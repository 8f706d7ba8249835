public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Every credential with its secret, as a `.byoky` backup (gifts come with the relay).
    public func exportBackup() async throws -> ByokyBackup {
        var backup = ByokyBackup(exportedAt: now())
        for record in try await store.credentials() {
            let method = record.authMethod
            backup.credentials.append(
                ByokyBackup.Credential(
                    id: record.id,
                    provider: record.provider,
                    label: record.label,
                    authMethod: method,
                    secret: try secret(of: record),
                    baseURL: record.baseURL,
                    createdAt: record.createdAt,
                    lastUsedAt: record.lastUsedAt
                )
            )
        }
        return backup
    }

    /// The wallet's keys as the text of a `.byoky` file sealed under `password`.
    ///
    /// The format derives a key from the password for the file and again for every secret in it,
    /// so sealing takes a derivation per key: it runs on the derivation threads
    /// (``KeyDerivationWork``), never where a server's connections are served.
    public func sealedBackup(password: String) async throws -> String {
        let backup = try await exportBackup()
        return try await KeyDerivationWork.run { try ByokyBackupFile.seal(backup, password: password) }
    }

    /// Opens the text of a `.byoky` file with `password` (a derivation per secret, on the
    /// derivation threads) and adds its keys, as ``importBackup(_:)`` does.
    public func importBackup(fileText: String, password: String) async throws -> ImportReport {
        let backup = try await KeyDerivationWork.run { try ByokyBackupFile.open(fileText, password: password) }
        return try await importBackup(backup)
    }

    /// What an import did.
    public struct ImportReport: Sendable {
        /// Credentials added (with new ids).
        public var added: [CredentialRecord]
        /// Credentials skipped because the same provider and key are already in the wallet.
        public var duplicates: Int
        /// Credentials skipped because Byoky cannot use them, with the reason.
        public var skipped: [String]
        /// OAuth refresh tokens in the file that its password did not open (their keys came in).
        public var unreadableRefreshTokens = 0
    }

    /// Adds the backup's credentials to the wallet. Nothing already stored is replaced: a key the
    /// wallet holds is skipped, and a label that is taken gets a number.
    public func importBackup(_ backup: ByokyBackup) async throws -> ImportReport {
        var report = ImportReport(
            added: [],
            duplicates: 0,
            skipped: [],
            unreadableRefreshTokens: backup.unreadableRefreshTokens
        )
        var held: Set<String> = []
        for record in try await store.credentials() {
            held.insert(record.provider.rawValue + "\u{0}" + (try secret(of: record)).exposedValue)
        }
        let labels = Set(try await store.credentials().map(\.label))
        for credential in backup.credentials {
            let fingerprint = credential.provider.rawValue + "\u{0}" + credential.secret.exposedValue
            guard !held.contains(fingerprint) else {
                report.duplicates += 1
                continue
            }
            var label = credential.label
            var number = 2
            while labels.contains(label) || report.added.contains(where: { $0.label == label }) {
                label = "\(credential.label) \(number)"
                number += 1
            }
            do {
                let record = try await addCredential(
                    provider: credential.provider,
                    secret: credential.secret,
                    label: label,
                    baseURL: credential.baseURL,
                    authMethod: credential.authMethod
                )
                report.added.append(record)
                held.insert(fingerprint)
            } catch let error as ByokyError where error.code == .invalidRequest || error.code == .invalidURL {
                report.skipped.append("\(credential.label): \(error.message)")
            }
        }
        return report
    }
}
