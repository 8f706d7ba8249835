import ArgumentParser
import ByokyCore
import ByokyWallet

extension ByokyCommand {
    /// `byoky init`: sets up a new wallet.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new encrypted wallet protected by a master password.",
            discussion: """
                The wallet lives in $BYOKY_HOME (default ~/.local/share/byoky). The master
                password is never stored; forgetting it means re-adding your keys.
                """
        )

        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                let wallet = try await Wallet.open(home: options.home)
                do {
                    if try await wallet.isInitialized() {
                        throw ByokyError(.invalidRequest, "A wallet already exists in \(options.home.path)")
                    }
                    try await wallet.initialize(password: try SecretInput.newPassword(file: options.passwordFile))
                    try await wallet.close()
                } catch {
                    try? await wallet.close()
                    throw error
                }
                print(
                    "Created a wallet in \(options.home.path). Next: `byoky key add anthropic` (or another provider)."
                )
            }
        }
    }
}
