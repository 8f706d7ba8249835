import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky export <file>`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an encrypted .byoky backup of your keys (readable by the byoky browser extension too).",
            discussion:
                "The backup has its own password (12+ characters, never the master password): read from "
                + "--export-password-file, else from standard input when it is not a terminal, else asked twice."
        )
        @Argument(help: "The file to write, e.g. byoky-vault-2026-11-26.byoky.") var file: String
        @Option(name: .customLong("export-password-file"), help: "File whose first line is the backup's password.")
        var exportPasswordFile: String?
        @Flag(help: "Replace the file if it exists.") var force = false
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                guard force || !FileManager.default.fileExists(atPath: file) else {
                    throw ByokyError(.invalidRequest, "\(file) exists; pass --force to replace it")
                }
                let backup = try await withWallet(options, unlock: true) { try await $0.exportBackup() }
                let password = try SecretInput.separatePassword(
                    file: exportPasswordFile,
                    purpose: "backup",
                    isNew: true
                )
                let text = try ByokyBackupFile.seal(backup, password: password)
                guard
                    FileManager.default.createFile(
                        atPath: file,
                        contents: Data(text.utf8),
                        attributes: [.posixPermissions: 0o600]
                    )
                else { throw ByokyError(.internalError, "Cannot write \(file)") }
                print("Exported \(backup.credentials.count) key(s) to \(file).")
            }
        }
    }

    /// `byoky import <file>`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the keys from a .byoky backup (from byoky or the byoky browser extension).",
            discussion:
                "Keys already in the wallet are kept; nothing is replaced. The backup's password is read from "
                + "--export-password-file, else from standard input when it is not a terminal, else asked."
        )
        @Argument(help: "The .byoky file.") var file: String
        @Option(name: .customLong("export-password-file"), help: "File whose first line is the backup's password.")
        var exportPasswordFile: String?
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ByokyError(.notFound, "Cannot read \(file)")
                }
                // Before any password is asked for: nobody types two passwords for a file that
                // cannot be a backup.
                let text = String(decoding: data, as: UTF8.self)
                try ByokyBackupFile.checkShape(text)
                let report = try await withWallet(options, unlock: true, changes: true) { wallet in
                    let password = try SecretInput.separatePassword(
                        file: exportPasswordFile,
                        purpose: "backup",
                        isNew: false
                    )
                    return try await wallet.importBackup(fileText: text, password: password)
                }
                if report.unreadableRefreshTokens > 0 {
                    print(
                        "Note: \(report.unreadableRefreshTokens) OAuth refresh token(s) in the file could not be read."
                    )
                }
                print("Imported \(report.added.count) key(s); \(report.duplicates) already in the wallet.")
                for reason in report.skipped { print("Skipped \(TerminalText.printable(reason))") }
            }
        }
    }
}
