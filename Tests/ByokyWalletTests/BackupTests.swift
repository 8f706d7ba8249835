import ByokyCore
import ByokyStore
import ByokyTesting
import Testing

@testable import ByokyWallet

@Suite(.timeLimit(.minutes(3)))
struct BackupTests {
    @Test func exportedKeysImportIntoAnotherWalletUnchanged() async throws {
        try await TemporaryFolder.with { folder in
            let source = try await Wallet.open(home: WalletHome(path: folder.path + "/a"))
            let target = try await Wallet.open(home: WalletHome(path: folder.path + "/b"))
            do {
                try await source.initialize(password: "Source-Password-11", iterations: 100_000)
                try await target.initialize(password: "Target-Password-22", iterations: 100_000)
                try await source.addCredential(
                    provider: .openai,
                    secret: SecretString("sk-proj-EXPORT-1"),
                    label: "work"
                )
                try await source.addCredential(
                    provider: .azureOpenAI,
                    secret: SecretString("azure-EXPORT-2"),
                    baseURL: "https://team.openai.azure.com"
                )
                try await target.addCredential(provider: .openai, secret: SecretString("sk-other"), label: "work")

                let file = try ByokyBackupFile.seal(try await source.exportBackup(), password: "Backup-Password-33")
                let report = try await target.importBackup(
                    try ByokyBackupFile.open(file, password: "Backup-Password-33")
                )
                #expect(report.added.map(\.label) == ["work 2", "Azure OpenAI"])
                #expect(report.duplicates == 0)
                let imported = try await target.credentials()
                #expect(imported.count == 3)
                let azure = try #require(imported.first { $0.provider == "azure_openai" })
                #expect(azure.baseURL == "https://team.openai.azure.com")
                #expect(try target.secret(of: azure).exposedValue == "azure-EXPORT-2")

                let again = try await target.importBackup(
                    try ByokyBackupFile.open(file, password: "Backup-Password-33")
                )
                #expect(again.added.isEmpty)
                #expect(again.duplicates == 2)
            } catch {
                try? await source.close()
                try? await target.close()
                throw error
            }
            try await source.close()
            try await target.close()
        }
    }
}
