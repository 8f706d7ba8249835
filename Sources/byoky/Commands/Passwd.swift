import ArgumentParser
import ByokyCore
import ByokyWallet

extension ByokyCommand {
    /// `byoky passwd`: changes the master password.
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the master password (your keys are not re-encrypted, only the key that opens them).",
            discussion:
                "The new password comes from --new-password-file, else from standard input when it is not a "
                + "terminal, else it is asked twice; never from $BYOKY_PASSWORD_FILE, which holds the current one."
        )
        @Option(name: .customLong("new-password-file"), help: "File whose first line is the new password.")
        var newPasswordFile: String?
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                try await withWallet(options) { wallet in
                    let old = try SecretInput.password(file: options.passwordFile, prompt: "Current master password: ")
                    let new = try SecretInput.separatePassword(
                        file: newPasswordFile,
                        purpose: "new master",
                        isNew: true
                    )
                    try await wallet.changePassword(from: old, to: new)
                }
                print("Master password changed. A running `byoky serve` keeps working; use the new one to unlock.")
            }
        }
    }
}
